#!/usr/bin/env bash
# Copies the front-end packages installed from the npm registry into static/vendor (served by Django/WhiteNoise).
set -euo pipefail
dest=static/vendor
mkdir -p "$dest/bootstrap/css" "$dest/bootstrap/js" "$dest/htmx"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map "$dest/bootstrap/css/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/js/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
