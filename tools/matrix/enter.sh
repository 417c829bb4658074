#!/bin/sh
# Written by tools/matrix/mounts.py from the template tools/matrix/enter.sh. Runs COMMAND inside the Debian sid root
# {root}, from the caller's directory. It first moves into a private mount
# namespace of its own, so every mount below is made only there and vanishes
# with the last process in it, however that ends: the host never sees them.
# Visible inside at their own paths: /tmp, {repo}, the current directory;
# read-only: ~/.cargo and ~/.rustup (the host's Rust toolchain).
# Usage: enter COMMAND [ARGS...]
if [ "${{HI_ENTER_NS:-}}" != "$$" ]; then
    HI_ENTER_NS=$$ exec unshare --mount --propagation private -- "$0" "$@"
fi
unset HI_ENTER_NS
set -eu
ROOT={root_q}
bind() {{  # SRC DST [ro]: SRC at DST inside the root (this namespace only)
    [ -d "$1" ] || return 0
    mkdir -p "$2"
    mount --bind "$1" "$2"
    if [ "${{3:-}}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}}
mount --rbind /dev "$ROOT/dev"
mount -t proc proc "$ROOT/proc"
mount --bind /tmp "$ROOT/tmp"
bind {repo_q} "$ROOT"{repo_q}
here=$(pwd -P)
case "$here" in
    "$ROOT") here=/ ;;
    "$ROOT"/*) here=${{here#"$ROOT"}} ;;
    /) ;;
    /tmp|/tmp/*|{repo_q}|{repo_q}/*) ;;
    *) bind "$here" "$ROOT$here" ;;
esac
bind {home_q}/.cargo "$ROOT"{home_q}/.cargo ro
bind {home_q}/.rustup "$ROOT"{home_q}/.rustup ro
exec chroot "$ROOT" /usr/bin/env -u VIRTUAL_ENV -u PYTHONHOME -C "$here" "$@"
