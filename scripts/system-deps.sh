#!/usr/bin/env bash
# The Debian packages peaceops needs beyond Python, in one place (`make test`, `make demo` and .ci/run call it).
#
#   scripts/system-deps.sh [--check] [GROUP...]     GROUP: browser, pdf, poppler (default: all three)
#
#   browser  Debian's Chromium for the Playwright browser tests (never `playwright install`), a font, and an
#            Ethiopic font (Amharic items render offline with glyphs, not boxes);
#            the path is PEACEOPS_CHROMIUM (default /usr/bin/chromium).
#   pdf      WeasyPrint's Pango and HarfBuzz subsetter libraries and a font (PDF reports; `make demo` needs these).
#   poppler  poppler-utils, which the PDF tests read the reports back with.
#
# Missing packages are installed when that is possible without asking (running as root, or `sudo -n` works);
# otherwise the one apt command to run is printed and the script exits 0: the tests that need the missing
# pieces skip with that reason. With PEACEOPS_REQUIRE_SYSTEM=1 (set by .ci/run), anything still missing
# is an error (exit 1). `--check` only reports, never installs.
set -euo pipefail

check_only=0
groups=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    browser | pdf | poppler) groups+=("$arg") ;;
    *) echo "usage: $0 [--check] [browser] [pdf] [poppler]" >&2; exit 2 ;;
  esac
done
[ ${#groups[@]} -gt 0 ] || groups=(browser pdf poppler)

chromium="${PEACEOPS_CHROMIUM:-/usr/bin/chromium}"

has_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || ls /usr/lib/*-linux-gnu/"$1"* >/dev/null 2>&1; }

missing() {
  local need=()
  for group in "${groups[@]}"; do
    case "$group" in
      browser)
        [ -x "$chromium" ] || need+=(chromium)
        [ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
        [ -d /usr/share/fonts/truetype/abyssinica ] || need+=(fonts-sil-abyssinica)
        ;;
      pdf)
        has_lib libpango-1.0.so.0 || need+=(libpango-1.0-0)
        has_lib libpangoft2-1.0.so.0 || need+=(libpangoft2-1.0-0)
        has_lib libharfbuzz-subset.so.0 || need+=(libharfbuzz-subset0)
        [ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
        ;;
      poppler)
        command -v pdftoppm >/dev/null || need+=(poppler-utils)
        ;;
    esac
  done
  # one line, each package once
  [ ${#need[@]} -eq 0 ] || printf '%s\n' "${need[@]}" | awk '!seen[$0]++' | tr '\n' ' '
}

need="$(missing)"
if [ -z "$need" ]; then
  exit 0
fi

command_line="apt-get install -y --no-install-recommends ${need% }"
as=""
if [ "$check_only" = 0 ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    as="root"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as="sudo"
  fi
fi

if [ -n "$as" ]; then
  install="$need"
  if [ "$chromium" != /usr/bin/chromium ]; then  # apt puts Chromium at /usr/bin/chromium, not there
    install="${install/chromium /}"
  fi
  if [ -n "$install" ]; then
    echo "system-deps: installing ${install% }" >&2
    sudo_=()
    [ "$as" = root ] || sudo_=(sudo -n)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_[@]}" apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    "${sudo_[@]}" apt-get install -y -qq --no-install-recommends $install >/dev/null
    need="$(missing)"
    [ -z "$need" ] && exit 0
  fi
fi
if [ "$chromium" != /usr/bin/chromium ] && [[ " $need" == *" chromium "* ]]; then
  echo "system-deps: no Chromium at PEACEOPS_CHROMIUM=$chromium (apt installs it at /usr/bin/chromium)" >&2
fi

echo "system-deps: missing ${need% }; the browser and PDF tests that need them skip. Install them with:" >&2
echo "    sudo $command_line" >&2
if [ "${PEACEOPS_REQUIRE_SYSTEM:-0}" = 1 ]; then
  echo "system-deps: PEACEOPS_REQUIRE_SYSTEM=1, so this is an error." >&2
  exit 1
fi
exit 0
