# maturin writes _native/__init__.py as a star import of the module that
# uniffi-bindgen generates (stubbed beside this file).
from .uniffi_binding import FlatValue as FlatValue
from .uniffi_binding import GreetError as GreetError
from .uniffi_binding import InternalError as InternalError
from .uniffi_binding import JsonError as JsonError
from .uniffi_binding import Keep as Keep
from .uniffi_binding import KeepError as KeepError
from .uniffi_binding import LimitError as LimitError
from .uniffi_binding import MostCommon as MostCommon
from .uniffi_binding import WordCounter as WordCounter
from .uniffi_binding import WordCounterProtocol as WordCounterProtocol
from .uniffi_binding import checksum as checksum
from .uniffi_binding import greet as greet
from .uniffi_binding import hi as hi
from .uniffi_binding import json_dumps as json_dumps
from .uniffi_binding import json_loads_bytes as json_loads_bytes
from .uniffi_binding import json_loads_str as json_loads_str
from .uniffi_binding import json_not_text as json_not_text
from .uniffi_binding import split as split
from .uniffi_binding import version as version
