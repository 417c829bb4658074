# maturin writes _native/__init__.py as a star import of the module that
# uniffi-bindgen generates (stubbed beside this file).
from .uniffi_binding import GreetError as GreetError
from .uniffi_binding import InternalError as InternalError
from .uniffi_binding import greet as greet
from .uniffi_binding import hi as hi
from .uniffi_binding import version as version
