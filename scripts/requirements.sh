# Sourced by the install scripts of the test dependencies (POSIX sh: `make` runs its recipes with /bin/sh).
# The rule of tests/harness/requirements.py, for shell: a missing test dependency is a warning on a
# developer's machine (the tests that need it then skip, saying why) and an error in CI (CI=true, 1 or
# yes, any case), so that a suite that cannot run fails the run instead of vanishing from it.

is_ci() {
    case "$(printf '%s' "${CI:-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')" in
        true | 1 | yes) return 0 ;;
        *) return 1 ;;
    esac
}

# missing_dependency MESSAGE: print MESSAGE; in CI, exit with status 1.
missing_dependency() {
    if is_ci; then
        echo "$1 (CI=true: a missing test dependency fails the run)" >&2
        exit 1
    fi
    echo "$1" >&2
}
