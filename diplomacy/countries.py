"""ISO 3166-1 alpha-2 codes, so that a mistyped country is refused instead of stored, and the names
of the countries the archive is likely to hold, in Arabic and English (a code missing from `NAMES` is
shown as the code itself rather than guessed)."""

_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI
    BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN
    CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK
    FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM
    HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
    ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
    NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW XK
"""
ISO_3166_ALPHA2 = frozenset(_CODES.split())


def is_country_code(value):
    return value in ISO_3166_ALPHA2


NAMES = {
    "AE": ("الإمارات", "United Arab Emirates"),
    "AF": ("أفغانستان", "Afghanistan"),
    "AM": ("أرمينيا", "Armenia"),
    "AZ": ("أذربيجان", "Azerbaijan"),
    "BE": ("بلجيكا", "Belgium"),
    "BH": ("البحرين", "Bahrain"),
    "BR": ("البرازيل", "Brazil"),
    "CA": ("كندا", "Canada"),
    "CH": ("سويسرا", "Switzerland"),
    "CN": ("الصين", "China"),
    "CY": ("قبرص", "Cyprus"),
    "DE": ("ألمانيا", "Germany"),
    "DJ": ("جيبوتي", "Djibouti"),
    "DZ": ("الجزائر", "Algeria"),
    "EG": ("مصر", "Egypt"),
    "ER": ("إريتريا", "Eritrea"),
    "ES": ("إسبانيا", "Spain"),
    "ET": ("إثيوبيا", "Ethiopia"),
    "FR": ("فرنسا", "France"),
    "GB": ("المملكة المتحدة", "United Kingdom"),
    "GE": ("جورجيا", "Georgia"),
    "GR": ("اليونان", "Greece"),
    "IL": ("إسرائيل", "Israel"),
    "IN": ("الهند", "India"),
    "IQ": ("العراق", "Iraq"),
    "IR": ("إيران", "Iran"),
    "IT": ("إيطاليا", "Italy"),
    "JO": ("الأردن", "Jordan"),
    "JP": ("اليابان", "Japan"),
    "KM": ("جزر القمر", "Comoros"),
    "KW": ("الكويت", "Kuwait"),
    "LB": ("لبنان", "Lebanon"),
    "LY": ("ليبيا", "Libya"),
    "MA": ("المغرب", "Morocco"),
    "MR": ("موريتانيا", "Mauritania"),
    "NL": ("هولندا", "Netherlands"),
    "NO": ("النرويج", "Norway"),
    "OM": ("عُمان", "Oman"),
    "PK": ("باكستان", "Pakistan"),
    "PS": ("فلسطين", "Palestine"),
    "QA": ("قطر", "Qatar"),
    "RU": ("روسيا", "Russia"),
    "SA": ("السعودية", "Saudi Arabia"),
    "SD": ("السودان", "Sudan"),
    "SE": ("السويد", "Sweden"),
    "SO": ("الصومال", "Somalia"),
    "SS": ("جنوب السودان", "South Sudan"),
    "SY": ("سوريا", "Syria"),
    "TN": ("تونس", "Tunisia"),
    "TR": ("تركيا", "Türkiye"),
    "UA": ("أوكرانيا", "Ukraine"),
    "US": ("الولايات المتحدة", "United States"),
    "YE": ("اليمن", "Yemen"),
}


def country_name(code, language):
    """The country's name in `language` ("ar" or "en"), or the code when the name is not known."""
    if not code:
        return ""
    names = NAMES.get(code.upper())
    if names is None:
        return code
    return names[1] if language and language.startswith("en") else names[0]
