"""Country names for the codes the archive is likely to hold, in Arabic and English.

Participants, places and sources store ISO 3166-1 alpha-2 codes. Facets and pages show names;
a code missing here is shown as the code itself rather than guessed.
"""

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
