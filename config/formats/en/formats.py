# The Vietnamese formats (dates shown and typed as dd/mm/yyyy in both languages, the officials' habit), with the
# English number separators.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
