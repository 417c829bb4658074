# maturin writes _native/__init__.py as a star import of the module that
# uniffi-bindgen generates (stubbed beside this file).
from .uniffi_binding import (
    GreetError as GreetError,
    InternalError as InternalError,
    greet as greet,
    hi as hi,
    version as version,
)
