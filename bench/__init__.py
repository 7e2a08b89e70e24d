"""Province-scale data generator and benchmark (issue 7). See bench/README.md."""
