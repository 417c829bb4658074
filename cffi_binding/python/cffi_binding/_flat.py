"""The flat encoding of ``loads`` and ``dumps``: Python's half, written once.

A C ABI cannot see a Python object, nor can UniFFI's records carry an
arbitrary nesting, so the routes that cross one (cffi_binding, ctypes_binding,
uniffi_binding) pass a JSON value as one flat buffer instead. Each of those
packages carries this file, the same text (``tests/test_copies.py`` checks),
because each builds and installs alone from its sdist. Nothing here imports
cffi, ctypes or UniFFI. The format is ``shared_rust/src/json/flat.rs``'s
(also in ``hi_c_abi.h``); the walker only tests types in json's order, and
every refusal and its message is Rust's (or Python's own ``int()``'s).

The format is a subset of CPython's ``marshal`` format, version 4, plus
three codes of its own (``D``, ``?``, ``!``), so that in the common case
CPython's own C code does the Python half of the work:

- ``loads``: Rust parses the text and writes the value in that subset, with
  repeated dict keys written once and referred to (marshal's references),
  which ``marshal.loads`` turns into dicts and lists in one C call. Only a
  value holding an int past i64 (``D``) or nested deeper than ``MARSHAL_DEPTH``
  is rebuilt here, by :func:`decode`, with an explicit stack.
- ``dumps``: ``marshal.dumps(obj, 4)`` flattens the object in one C call
  (while the GIL is on); Rust writes the JSON text from it. marshal refuses
  any subclass and any type JSON cannot take either, and Rust refuses what
  marshal writes that JSON cannot (a set, bytes, an int past i64): then
  :func:`walk` flattens the object here, as ``json.dumps`` walks it, and
  marks what json refuses (a type, a key, a cycle) for Rust to raise with
  json's message.
"""

from __future__ import annotations

import json
import marshal
import struct
import sys
from typing import Any

__all__ = [
    "PYTHON_MINOR",
    "decode",
    "encode",
    "int_digits",
    "load_error",
    "loads_input",
    "rebuild",
    "walk",
]

# The json whose messages Rust writes: this interpreter's (json's messages
# for a trailing comma changed in 3.13).
PYTHON_MINOR = sys.version_info[1]
_decoded_loads = marshal.loads
_encode = str.encode
# Whether the GIL is on now: always, before 3.13; on a free-threaded build
# it can be turned on and off, so it is asked at each call.
_gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)


def int_digits() -> int:
    """Python's limit on an int's decimal digits (0: none), for Rust's loads."""
    get = getattr(sys, "get_int_max_str_digits", None)
    return 0 if get is None else get()


def loads_input(s: object) -> tuple[bytes, bool] | None:
    """The bytes Rust reads for ``loads(s)``, and whether ``s`` is a str.

    A str is given as WTF-8 (lone surrogates as ``surrogatepass`` writes
    them), bytes as they are; None for anything else, for which the package
    raises json's TypeError with Rust's text.
    """
    if isinstance(s, str):
        return _encode(s, "utf-8", "surrogatepass"), True
    if isinstance(s, (bytes, bytearray)):
        return bytes(s), False
    return None


def rebuild(flat: Any, depth: int, extended: bool) -> object:
    """The value of a flat buffer from Rust's loads: marshal's C reader where it can."""
    if extended or depth > MARSHAL_DEPTH:
        return decode(flat)
    return _decoded_loads(flat)


def load_error(
    kind: str, message: str, s: Any, pos: int, start: int, end: int, encoding: str
) -> BaseException:
    """The exception json raises for a loads error Rust reported, from its parts.

    ``kind`` is ``"syntax"`` (``pos`` in code points of the decoded text),
    ``"decode"`` (the bytes from ``pos`` on are the error's object, ``start``
    and ``end`` the refused ones in it, ``message`` the reason) or
    ``"int_digits"`` (``message`` is the int as written: Python's ``int()``
    raises on it what json raises).
    """
    if kind == "syntax":
        doc = s if isinstance(s, str) else bytes(s).decode(json.detect_encoding(s), "surrogatepass")
        return json.JSONDecodeError(message, doc, pos)
    if kind == "decode":
        return UnicodeDecodeError(encoding, bytes(s)[pos:], start, end, message)
    try:
        int(message)
    except ValueError as exc:
        return exc
    return ValueError(f"{message[:20]}...: past the int digit limit")


# marshal.loads refuses nesting past its own limit (2000 levels in CPython's
# marshal.c): deeper values go through decode.
MARSHAL_DEPTH = 1000

_marshal_dumps = marshal.dumps
_pack_int = struct.Struct("<Bi").pack
_pack_float = struct.Struct("<Bd").pack
_pack_len = struct.Struct("<BI").pack
_unpack_i32 = struct.Struct("<i").unpack_from
_unpack_u32 = struct.Struct("<I").unpack_from
_unpack_f64 = struct.Struct("<d").unpack_from
_unpack_u16s = struct.Struct("<H").iter_unpack
_I32 = 1 << 31
_U32_MAX = (1 << 32) - 1
_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE
_str = str.__str__
_int = int.__int__
_float = float.__float__
_int_repr = int.__repr__

# The codes (flat.rs names each): marshal's, and this format's own.
_FLAG_REF = 0x80
_NONE, _TRUE, _FALSE = b"N", b"T", b"F"
_INT, _BIG_INT, _FLOAT, _STR = 0x69, 0x44, 0x67, 0x75  # i D g u
_LIST, _DICT, _DICT_END = 0x5B, 0x7B, b"0"  # [ { 0
_OTHER, _CYCLE, _NOT_PAIR = 0x3F, 0x21, 0x25  # ? ! %


def encode(obj: Any) -> bytes:
    """``obj`` flattened for Rust's dumps: marshal's writer, or the walker where it refuses.

    Rust may still find what marshal wrote unfit (a set, bytes, an int past
    i64): it then says so with its own status, and the caller flattens again
    with :func:`walk`.
    """
    if not _gil_enabled():
        # Without the GIL another thread may change a dict or list while it
        # is read. marshal is not documented to lock against that; the
        # walker reads each container once, through list() and dict.items(),
        # which free-threaded CPython keeps safe under concurrent changes.
        return walk(obj)
    try:
        return _marshal_dumps(obj, 4)
    except (ValueError, RecursionError):
        # A subclass, a type marshal does not know, nesting past marshal's limit.
        return walk(obj)


def _type_name(value: object) -> str:
    """The C name of ``value``'s type (tp_name), which json's key message shows."""
    kind = type(value)
    # A class made by a `class` statement (a mutable heap type) has its bare
    # name as tp_name; a type made in C (static, or a heap type from a spec,
    # as _decimal's are from 3.14), which is immutable, has "module.Name".
    if not kind.__flags__ & _IMMUTABLE_TYPE or kind.__module__ == "builtins":
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"


def _other(name: str) -> bytes:
    data = name.encode("utf-8", "surrogatepass")
    return _pack_len(_OTHER, len(data)) + data


def _int_code(value: int) -> bytes:
    if -_I32 <= value < _I32:
        return _pack_int(_INT, value)
    # int.__repr__ raises json's ValueError for an int past the digit limit.
    digits = _int_repr(value).encode()
    return _pack_len(_BIG_INT, len(digits)) + digits


def _str_code(value: str) -> bytes:
    data = _str(value).encode("utf-8", "surrogatepass")
    if len(data) > _U32_MAX:
        # The format's lengths are uint32 (flat.rs).
        raise OverflowError(
            f"a str of {len(data)} bytes is past the flat encoding's limit of {_U32_MAX} bytes"
        )
    return _pack_len(_STR, len(data)) + data


def _key(key: object) -> bytes | None:
    """A dict key's code, in the order json's C encoder tests it; None if json refuses it."""
    if isinstance(key, str):
        return _str_code(key)
    if isinstance(key, float):
        return _pack_float(_FLOAT, _float(key))
    if key is True:
        return _TRUE
    if key is False:
        return _FALSE
    if key is None:
        return _NONE
    if isinstance(key, int):
        return _int_code(_int(key))
    return None


def walk(obj: object) -> bytes:
    """``obj`` flattened as ``json.dumps`` walks it, with no recursion.

    Every value is tested in the order json's C encoder tests it, so a
    subclass is written as its base is (an IntEnum as its int). Where json
    would raise, the walk writes a mark in its place and stops there: ``?``
    and the type's name for an object (or key) json cannot write, ``!`` and
    its level for a container already on the current path. Rust raises the error when it
    reaches the mark, after everything before it, as json does.
    """
    out = bytearray()
    # The containers on the current path, by id (json's "markers"), each
    # with its level (0: the outermost), which a cycle's mark names.
    path: dict[int, int] = {}
    # One entry per open container: (its remaining items, its id, is a dict).
    stack: list[tuple[Any, int, bool]] = []
    value: Any = obj
    while True:
        if value is None:
            out += _NONE
        elif value is True:
            out += _TRUE
        elif value is False:
            out += _FALSE
        elif isinstance(value, str):
            out += _str_code(value)
        elif isinstance(value, int):
            out += _int_code(_int(value))
        elif isinstance(value, float):
            out += _pack_float(_FLOAT, _float(value))
        elif isinstance(value, (list, tuple, dict)):
            ident = id(value)
            level = path.get(ident)
            if level is not None:
                out += _pack_len(_CYCLE, level)
                return bytes(out)
            path[ident] = len(stack)
            if isinstance(value, dict):
                # A snapshot of the items, as json's C encoder takes one.
                out.append(_DICT)
                stack.append((iter(list(value.items())), ident, True))
            else:
                # As json's PySequence_Fast: a copy (a subclass's through its __iter__).
                items = list(value)
                out += _pack_len(_LIST, len(items))
                stack.append((iter(items), ident, False))
        else:
            # JSONEncoder.default's message names o.__class__.__name__.
            out += _other(value.__class__.__name__)
            return bytes(out)
        # The next value: the next item of the innermost open container.
        while stack:
            items, ident, is_dict = stack[-1]
            item: Any = next(items, _END)
            if item is _END:
                stack.pop()
                del path[ident]
                if is_dict:
                    out += _DICT_END
                continue
            if is_dict:
                # json's C encoder takes only 2-tuples (a subclass too) from items().
                if not (isinstance(item, tuple) and len(item) == 2):
                    out.append(_NOT_PAIR)
                    return bytes(out)
                key, value = item
                code = _key(key)
                if code is None:
                    out += _other(_type_name(key))
                    return bytes(out)
                out += code
            else:
                value = item
            break
        else:
            return bytes(out)


_END = object()


def decode(data: Any) -> object:
    """The value of a flat buffer Rust's loads wrote, rebuilt with an explicit stack.

    For what ``marshal.loads`` cannot take: an int past i64 (``D``, made an
    int here by ``int()``, which raises json's ValueError past the digit
    limit) or nesting past ``MARSHAL_DEPTH``.
    """
    data = bytes(data)
    refs: list[object] = []
    # One entry per open container: [the list, items left] or [the dict, key or _END].
    stack: list[list[Any]] = []
    pos = 0
    while True:
        code = data[pos]
        pos += 1
        remember = code & _FLAG_REF
        code &= ~_FLAG_REF
        value: Any
        if code == _LIST:
            (count,) = _unpack_u32(data, pos)
            pos += 4
            value = []
            if remember:
                refs.append(value)
            if count:
                stack.append([value, count])
                continue
        elif code == _DICT:
            value = {}
            if remember:
                refs.append(value)
            stack.append([value, _END])
            continue
        elif code == 0x30:  # "0": the end of the innermost dict
            value = stack.pop()[0]
        elif code == 0x7A:  # "z": ASCII, a one-byte length
            size = data[pos]
            value = data[pos + 1 : pos + 1 + size].decode("ascii")
            pos += 1 + size
        elif code in (0x75, 0x61):  # "u" WTF-8, "a" ASCII
            (size,) = _unpack_u32(data, pos)
            value = data[pos + 4 : pos + 4 + size].decode("utf-8", "surrogatepass")
            pos += 4 + size
        elif code == _INT:
            (value,) = _unpack_i32(data, pos)
            pos += 4
        elif code == _FLOAT:
            (value,) = _unpack_f64(data, pos)
            pos += 8
        elif code == 0x6C:  # "l": marshal's int, 15-bit digits
            (count,) = _unpack_i32(data, pos)
            pos += 4
            size = abs(count)
            value = 0
            for shift, (digit,) in enumerate(_unpack_u16s(data[pos : pos + 2 * size])):
                value |= digit << (15 * shift)
            value = -value if count < 0 else value
            pos += 2 * size
        elif code == _BIG_INT:
            (size,) = _unpack_u32(data, pos)
            value = int(data[pos + 4 : pos + 4 + size])
            pos += 4 + size
        elif code == 0x72:  # "r": a value remembered before
            (index,) = _unpack_u32(data, pos)
            pos += 4
            value = refs[index]
        elif code == 0x4E:
            value = None
        elif code == 0x54:
            value = True
        elif code == 0x46:
            value = False
        else:
            raise ValueError(f"bad flat buffer: code {code:#x} at {pos - 1}")
        if remember and code not in (_LIST, _DICT):
            refs.append(value)
        # Put the value in its container; a container it fills is put in turn.
        while stack:
            top = stack[-1]
            container = top[0]
            if type(container) is list:
                container.append(value)
                top[1] -= 1
                if top[1]:
                    break
                stack.pop()
                value = container
            else:
                if top[1] is _END:
                    top[1] = value
                else:
                    container[top[1]] = value
                    top[1] = _END
                break
        else:
            return value
