"""The interpreter matrix: every interpreter the wheels claim, run here
(``python -m tox -e interpreters``; by hand, ``cd tools && python -m matrix``).

CPython 3.13, 3.14 and 3.15 and PyPy 3.11 come from
a Debian sid root made with debootstrap in a cache outside the clone
(``$HI_INTERPRETERS_CACHE``, default ``${XDG_CACHE_HOME:-~/.cache}/hi-interpreters``),
made once and reused: only what is missing is made again. Free-threaded
CPython 3.14t and 3.15t are built there from the upstream tarballs in
Debian's pool, each pinned by its SHA-256 and checked against its ``.dsc``
(``config.FREE_THREADED``); a tarball the pool no longer has skips that
build, saying why. Then, for every interpreter and every route, the route
is installed from the wheel pip would take there from the set the route
publishes, and the contract suite runs on it, exactly as tox's [testenv]
runs it; or the refusal is recorded, with the command that failed
and its error line. On a free-threaded build it records whether the GIL
stayed off; on 3.14 and 3.15 whether each route works in a subinterpreter.
The summary goes to ``results/interpreters.json`` and a plain table.

Each interpreter is then one command on the host, ``$CACHE/bin/<name>``
(``python3.14``, ``pypy3.11``, ``python3.14t`` ...), that behaves as that
interpreter's ``python`` in a venv holding every route that passed.

Mounts: everything that runs in the root, the wrappers included, goes through
``$CACHE/bin/enter``, which first moves itself into a private mount namespace
of its own (``unshare --mount --propagation private``) and only then binds
/dev, /proc, /tmp, the repository, the caller's directory and (read-only)
~/.cargo and ~/.rustup into the root: those mounts exist only in that
namespace and vanish with its last process, however it ends (errors, Ctrl-C,
SIGKILL), and the host never sees them. debootstrap runs in such a namespace
too. Nothing under the cache is ever deleted while a mount is below it: see
``safe_rmtree``.

Where this cannot run (not Linux, not Debian, not root, no apt-get or
unshare), it prints one ``SKIPPED: ...`` line, writes a JSON that says
skipped, and exits 0. Usage: ``python -m matrix [--only NAME,...]`` from
``tools/``.

One module per concern: ``config`` (paths, pinned sources), ``mounts``
(``enter`` and safe deletion), ``shell`` (running things), ``root``
(debootstrap, packages), ``freethreaded`` (the source builds), ``wheels``
(interpreters, venvs, wheels), ``suites`` (installs, the suite, probes),
``report`` and ``wheelset`` (the summary), ``main``. ``probes/`` are the
scripts run inside the root, ``plugin/`` the suite's GIL check.
"""
