"""JSON <-> Bot Framework schema models, the msrest way but without msrest's per-call overhead.

msrest's `Model.deserialize` / `Model.serialize` build a serializer and copy every attribute description on
each call: about half a millisecond for an activity, the largest single cost left on an echo turn. These
functions walk the same `_attribute_map`s with a plan cached per class and produce exactly what msrest
produces (tests/endpoint/test_wire.py checks them against msrest on Teams payloads). Whatever they do not
cover (flattened keys, polymorphic models, validation rules, types other than those the Activity schema uses,
or a value of an unexpected type) falls back to msrest for the whole object, errors included.
"""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any, Final, TypeVar

from msrest.serialization import Deserializer, Model, Serializer

__all__ = ["model_from_json", "model_to_json"]

M = TypeVar("M", bound=Model)

# (attribute name, JSON key, msrest type string)
_Plan = tuple[tuple[str, str, str], ...]

# msrest is only partly annotated; reach its helpers through Any.
_deserialize_iso: Any = Deserializer.deserialize_iso
_serialize_iso: Any = Serializer.serialize_iso
_PLANS: Final[dict[type, _Plan | None]] = {}
_MODELS: Final[dict[type, dict[str, type]]] = {}


class _Unsupported(Exception):
    """This value or class needs msrest itself."""


def _plan(cls: type) -> _Plan | None:
    if cls in _PLANS:
        return _PLANS[cls]
    plan: _Plan | None = None
    if not getattr(cls, "_subtype_map", None) and not getattr(cls, "_validation", None):
        attribute_map: dict[str, dict[str, str]] = getattr(cls, "_attribute_map", {})
        entries = [(attr, desc["key"], desc["type"]) for attr, desc in attribute_map.items()]
        if all(key and "." not in key and "\\" not in key for _, key, _ in entries):
            plan = tuple(entries)
    _PLANS[cls] = plan
    return plan


def _models(cls: type) -> dict[str, type]:
    if cls not in _MODELS:
        model_class: Any = cls
        _MODELS[cls] = model_class._infer_class_models()
    return _MODELS[cls]


def model_from_json(cls: type[M], data: Any) -> M:
    """`cls.deserialize(data)` for a parsed JSON object; raises msrest's DeserializationError like it."""
    try:
        return _load_model(cls, data, _models(cls))
    except Exception:  # _Unsupported, or data msrest may reject: its answer (or error) is the reference
        model_class: Any = cls
        model: M = model_class.deserialize(data)
        return model


def model_to_json(model: Model) -> Any:
    """`model.serialize()`."""
    try:
        return _dump_model(model)
    except Exception:  # _Unsupported, or a value msrest may reject: its answer (or error) is the reference
        untyped: Any = model
        return untyped.serialize()


def _load_model(cls: type[M], data: Any, models: dict[str, type]) -> M:
    plan = _plan(cls)
    if plan is None or not isinstance(data, dict):
        raise _Unsupported
    values: dict[str, Any] = {}
    known = set()
    for attr, key, kind in plan:
        known.add(key)
        raw = data.get(key)
        values[attr] = None if raw is None else _load(kind, raw, models)
    instance = cls(**values)
    extra = {k: v for k, v in data.items() if k not in known}
    if extra:
        instance.additional_properties = extra
    return instance


def _load(kind: str, raw: Any, models: dict[str, type]) -> Any:
    if kind == "str":
        if type(raw) is not str:
            raise _Unsupported
        return raw
    if kind == "object":
        return raw
    if kind == "bool":
        if type(raw) is not bool:
            raise _Unsupported
        return raw
    if kind in ("int", "float"):
        if type(raw) is not int and not (kind == "float" and type(raw) is float):
            raise _Unsupported
        return raw if kind == "int" else float(raw)
    if kind == "iso-8601":
        if type(raw) is not str:
            raise _Unsupported
        return _deserialize_iso(raw)
    if kind[0] == "[" and kind[-1] == "]":
        if type(raw) is not list:
            raise _Unsupported
        inner = kind[1:-1]
        return [None if item is None else _load(inner, item, models) for item in raw]
    if kind[0] == "{" and kind[-1] == "}":
        if type(raw) is not dict:
            raise _Unsupported
        inner = kind[1:-1]
        return {k: None if v is None else _load(inner, v, models) for k, v in raw.items()}
    target = models.get(kind)
    if not isinstance(target, type) or not issubclass(target, Model):
        raise _Unsupported
    return _load_model(target, raw, models)


def _dump_model(model: Model) -> dict[str, Any]:
    plan = _plan(type(model))
    if plan is None:
        raise _Unsupported
    out: dict[str, Any] = {}
    for attr, key, kind in plan:
        value = getattr(model, attr, None)
        if value is not None:
            out[key] = _dump(kind, value)
    return out


def _text(value: Any) -> str:
    if isinstance(value, Enum):
        text: str = value.value
        return text
    return str(value)


def _dump(kind: str, value: Any) -> Any:
    if kind == "str":
        return value if type(value) is str else _text(value)
    if kind == "object":
        return _dump_object(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "iso-8601":
        return _serialize_iso(value)
    if kind[0] == "[" and kind[-1] == "]":
        if isinstance(value, str):
            raise _Unsupported
        inner = kind[1:-1]
        return [None if item is None else _dump(inner, item) for item in value]
    if kind[0] == "{" and kind[-1] == "}":
        inner = kind[1:-1]
        return {_text(k): None if v is None else _dump(inner, v) for k, v in value.items()}
    if not isinstance(value, Model):
        raise _Unsupported
    return _dump_model(value)


def _dump_object(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is dict:
        return {_text(k): _dump_object(v) for k, v in value.items()}
    if kind is list:
        return [_dump_object(item) for item in value]
    if kind is datetime.datetime:
        return _serialize_iso(value)
    if isinstance(value, Model):
        return _dump_model(value)
    raise _Unsupported
