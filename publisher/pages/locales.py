"""The region a language is most likely written in, for Open Graph's `og:locale` (`language_TERRITORY`) when
`site.language` names none (`de` -> `de_DE`).

From the Unicode CLDR's likely subtags (release 47, supplemental/likelySubtags, as Babel 2.18 ships it): every
entry for a two-letter (ISO 639-1) language, alone or with a script, whose likely region is a country (`eo`,
`ia`, `io` and `vo` give the world, `001`, and are left out). Three-letter languages (`fil`, `yue`) are not here:
such a site names its region in `language` (`fil-PH`).
"""

from __future__ import annotations

LIKELY_REGIONS: dict[str, str] = {
    "aa": "ET", "ab": "GE", "ae": "IR", "af": "ZA", "ak": "GH", "am": "ET", "an": "ES", "ar": "EG", "as": "IN",
    "av": "RU", "ay": "BO", "az": "AZ", "az-Arab": "IR", "ba": "RU", "be": "BY", "bg": "BG", "bi": "VU",
    "bm": "ML", "bn": "BD", "bo": "CN", "br": "FR", "bs": "BA", "ca": "ES", "ce": "RU", "ch": "GU", "co": "FR",
    "cr": "CA", "cs": "CZ", "cu": "RU", "cu-Glag": "BG", "cv": "RU", "cy": "GB", "da": "DK", "de": "DE",
    "dv": "MV", "dz": "BT", "ee": "GH", "el": "GR", "en": "US", "en-Shaw": "GB", "es": "ES", "et": "EE",
    "eu": "ES", "fa": "IR", "ff": "SN", "ff-Adlm": "GN", "fi": "FI", "fj": "FJ", "fo": "FO", "fr": "FR",
    "fy": "NL", "ga": "IE", "gd": "GB", "gl": "ES", "gn": "PY", "gu": "IN", "gv": "IM", "ha": "NG", "he": "IL",
    "hi": "IN", "ho": "PG", "hr": "HR", "ht": "HT", "hu": "HU", "hy": "AM", "hz": "NA", "id": "ID", "ie": "EE",
    "ig": "NG", "ii": "CN", "ik": "US", "in": "ID", "is": "IS", "it": "IT", "iu": "CA", "iw": "IL", "ja": "JP",
    "ji": "UA", "jv": "ID", "jw": "ID", "ka": "GE", "kg": "CD", "ki": "KE", "kj": "NA", "kk": "KZ",
    "kk-Arab": "CN", "kl": "GL", "km": "KH", "kn": "IN", "ko": "KR", "kr": "NG", "ks": "IN", "ku": "TR",
    "ku-Arab": "IQ", "ku-Yezi": "GE", "kv": "RU", "kw": "GB", "ky": "KG", "ky-Arab": "CN", "ky-Latn": "TR",
    "la": "VA", "lb": "LU", "lg": "UG", "li": "NL", "ln": "CD", "lo": "LA", "lt": "LT", "lu": "CD", "lv": "LV",
    "mg": "MG", "mh": "MH", "mi": "NZ", "mk": "MK", "ml": "IN", "mn": "MN", "mn-Mong": "CN", "mo": "RO",
    "mr": "IN", "ms": "MY", "mt": "MT", "my": "MM", "na": "NR", "nb": "NO", "nd": "ZW", "ne": "NP", "ng": "NA",
    "nl": "NL", "nn": "NO", "no": "NO", "nr": "ZA", "nv": "US", "ny": "MW", "oc": "FR", "oj": "CA", "om": "ET",
    "or": "IN", "os": "GE", "pa": "IN", "pa-Arab": "PK", "pi": "IN", "pl": "PL", "ps": "AF", "pt": "BR",
    "qu": "PE", "rm": "CH", "rn": "BI", "ro": "RO", "ru": "RU", "rw": "RW", "sa": "IN", "sc": "IT", "sd": "PK",
    "sd-Deva": "IN", "sd-Khoj": "IN", "sd-Sind": "IN", "se": "NO", "sg": "CF", "si": "LK", "sk": "SK", "sl": "SI",
    "sm": "WS", "sn": "ZW", "so": "SO", "sq": "AL", "sr": "RS", "ss": "ZA", "st": "ZA", "su": "ID", "sv": "SE",
    "sw": "TZ", "ta": "IN", "te": "IN", "tg": "TJ", "tg-Arab": "PK", "th": "TH", "ti": "ET", "tk": "TM",
    "tl": "PH", "tn": "ZA", "to": "TO", "tr": "TR", "ts": "ZA", "tt": "RU", "ty": "PF", "ug": "CN",
    "ug-Cyrl": "KZ", "uk": "UA", "ur": "PK", "uz": "UZ", "uz-Arab": "AF", "ve": "ZA", "vi": "VN", "wa": "BE",
    "wo": "SN", "xh": "ZA", "yi": "UA", "yo": "NG", "za": "CN", "zh": "CN", "zh-Bopo": "TW", "zh-Hanb": "TW",
    "zh-Hant": "TW", "zu": "ZA",
}
