"""Satellite offices: the offices file, where the user is, and the nearest offices open now."""

from nwow.offices.detect import extract_place, extract_province, is_forget_home_request, is_office_question
from nwow.offices.loader import OFFICES_FILE, load_offices, validate_faq_folder, validate_offices_file
from nwow.offices.model import (
    FACILITIES,
    Closure,
    NearestOffices,
    Office,
    OfficeDirectory,
    OfficeMatch,
    OfficeStatus,
    Place,
    PlaceResolution,
    Province,
    ProvinceOffices,
    TimeRange,
)
from nwow.offices.places import PlaceIndex, default_place_index, haversine_km
from nwow.offices.ranking import in_province, local_time, nearest, nearest_to, province_offices, status_at

__all__ = [
    "FACILITIES",
    "OFFICES_FILE",
    "Closure",
    "NearestOffices",
    "Office",
    "OfficeDirectory",
    "OfficeMatch",
    "OfficeStatus",
    "Place",
    "PlaceIndex",
    "PlaceResolution",
    "Province",
    "ProvinceOffices",
    "TimeRange",
    "default_place_index",
    "extract_place",
    "extract_province",
    "haversine_km",
    "in_province",
    "is_forget_home_request",
    "is_office_question",
    "load_offices",
    "local_time",
    "nearest",
    "nearest_to",
    "province_offices",
    "status_at",
    "validate_faq_folder",
    "validate_offices_file",
]
