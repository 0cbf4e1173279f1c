"""The languages the engine's multilingual recogniser knows: ISO-639-1 code -> service name.

The names are Whisper's (OpenAI's ``whisper/tokenizer.py``), the ones whisper-1 reports in
``verbose_json`` ("french"). These are the 99 languages of Whisper base: large-v3's
Cantonese (``yue``) has no token in this model, so it is not offered.
"""

from __future__ import annotations

from .apierror import ApiError

# Whisper's own order (roughly by how much training audio each had): "a few accepted codes"
# in an error message then names the common ones.
LANGUAGES: dict[str, str] = {
    "en": "english",
    "zh": "chinese",
    "de": "german",
    "es": "spanish",
    "ru": "russian",
    "ko": "korean",
    "fr": "french",
    "ja": "japanese",
    "pt": "portuguese",
    "tr": "turkish",
    "pl": "polish",
    "ca": "catalan",
    "nl": "dutch",
    "ar": "arabic",
    "sv": "swedish",
    "it": "italian",
    "id": "indonesian",
    "hi": "hindi",
    "fi": "finnish",
    "vi": "vietnamese",
    "he": "hebrew",
    "uk": "ukrainian",
    "el": "greek",
    "ms": "malay",
    "cs": "czech",
    "ro": "romanian",
    "da": "danish",
    "hu": "hungarian",
    "ta": "tamil",
    "no": "norwegian",
    "th": "thai",
    "ur": "urdu",
    "hr": "croatian",
    "bg": "bulgarian",
    "lt": "lithuanian",
    "la": "latin",
    "mi": "maori",
    "ml": "malayalam",
    "cy": "welsh",
    "sk": "slovak",
    "te": "telugu",
    "fa": "persian",
    "lv": "latvian",
    "bn": "bengali",
    "sr": "serbian",
    "az": "azerbaijani",
    "sl": "slovenian",
    "kn": "kannada",
    "et": "estonian",
    "mk": "macedonian",
    "br": "breton",
    "eu": "basque",
    "is": "icelandic",
    "hy": "armenian",
    "ne": "nepali",
    "mn": "mongolian",
    "bs": "bosnian",
    "kk": "kazakh",
    "sq": "albanian",
    "sw": "swahili",
    "gl": "galician",
    "mr": "marathi",
    "pa": "punjabi",
    "si": "sinhala",
    "km": "khmer",
    "sn": "shona",
    "yo": "yoruba",
    "so": "somali",
    "af": "afrikaans",
    "oc": "occitan",
    "ka": "georgian",
    "be": "belarusian",
    "tg": "tajik",
    "sd": "sindhi",
    "gu": "gujarati",
    "am": "amharic",
    "yi": "yiddish",
    "lo": "lao",
    "uz": "uzbek",
    "fo": "faroese",
    "ht": "haitian creole",
    "ps": "pashto",
    "tk": "turkmen",
    "nn": "nynorsk",
    "mt": "maltese",
    "sa": "sanskrit",
    "lb": "luxembourgish",
    "my": "myanmar",
    "bo": "tibetan",
    "tl": "tagalog",
    "mg": "malagasy",
    "as": "assamese",
    "tt": "tatar",
    "haw": "hawaiian",
    "ln": "lingala",
    "ha": "hausa",
    "ba": "bashkir",
    "jw": "javanese",
    "su": "sundanese",
}

# Where a person finds every code; the engine is offline, but its reader may not be.
FULL_LIST = "https://github.com/openai/whisper/blob/main/whisper/tokenizer.py"


def language_name(code: str) -> str:
    """The service's name for a language code ("fr" -> "french"); unknown codes as given."""
    return LANGUAGES.get(code, code)


def check_language(raw: str) -> str:
    """The lower-case code for a ``language`` form field, or a 400 naming accepted codes."""
    code = raw.strip().lower()
    if code in LANGUAGES:
        return code
    examples = ", ".join(list(LANGUAGES)[:8])
    raise ApiError(
        400,
        f"Invalid language '{raw}'. Language parameter must be specified in ISO-639-1 "
        f"format, one of the {len(LANGUAGES)} languages the recogniser knows, e.g. "
        f"{examples}; the full list: {FULL_LIST} (or comet_audio_nb.local.languages).",
        param="language",
        code="invalid_language_format",
    )
