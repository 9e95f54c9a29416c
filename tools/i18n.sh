#!/usr/bin/env bash
# Refresh the message catalogs: Vietnamese is the source language (msgids), English the
# translation. Run after changing user-facing text, translate the new entries in
# ballot/translations/en/LC_MESSAGES/messages.po, then run again to compile.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --ignore-dirs '.*' \
  -o ballot/translations/messages.pot ballot templates >/dev/null
pybabel update -i ballot/translations/messages.pot -d ballot/translations -l en --no-fuzzy-matching >/dev/null
pybabel compile -d ballot/translations --statistics
