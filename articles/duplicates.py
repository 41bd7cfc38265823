"""Near-duplicate reports: the same wire story carried by several outlets.

Each report's text is normalised as search normalises it (`articles.arabic`), cut into
overlapping runs of `SHINGLE` words, and summarised by a MinHash signature of `HASHES` values:
the share of equal values in two signatures estimates the Jaccard similarity of the two
reports' shingle sets (the share of word runs they have in common). The signature is cut into
`BANDS` bands of `ROWS` values, and each band is stored hashed (`TextBand`), so candidates for a
new text are found with one indexed lookup of its bands (locality-sensitive hashing): two texts
that are 50% alike share a band with probability 0.65, 80% alike 0.9999. Candidates are then
scored on their full signatures.

`index_text(article)` stores a report's signature and bands; the actions call it whenever a
report's text is written (import, edit). `near_duplicates(text)` answers "which stored reports
is this text a copy of, and how closely".
"""

import hashlib
import struct

import numpy as np
from django.db.models import IntegerField, Q
from django.db.models.expressions import RawSQL

from articles.arabic import fold_case, normalize
from articles.arabic.tokens import WORD_RE
from articles.models import Article, TextBand, TextSignature

SHINGLE = 4
HASHES = 64
BANDS = 16
ROWS = HASHES // BANDS
# Reports at least this alike are shown as copies of one text (wire copies differ by a headline,
# a dateline, an outlet's own sentence); editors are told of anything from `NOTICE` up.
COPY_THRESHOLD = 0.7
NOTICE = 0.5

_PRIME = np.uint64(4294967311)  # the first prime above 2**32: the hashes are reduced modulo it
_rng = np.random.default_rng(20160324)  # fixed: signatures must be the same in every process, forever
_A = _rng.integers(1, 2**31, size=HASHES, dtype=np.uint64)
_B = _rng.integers(0, 2**32, size=HASHES, dtype=np.uint64)


def words(text):
    return WORD_RE.findall(fold_case(normalize(text)))


def shingle_hashes(text):
    """The 32-bit hashes of the text's runs of `SHINGLE` words (the whole text if it is shorter)."""
    tokens = words(text)
    runs = {" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1))}
    runs.discard("")
    digests = b"".join(hashlib.blake2b(run.encode(), digest_size=4).digest() for run in runs)
    return np.frombuffer(digests, dtype="<u4").astype(np.uint64)


def signature(text):
    """The MinHash signature of `text`: `HASHES` values, each the least of one hash function over its shingles."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return np.full(HASHES, _PRIME, dtype=np.uint64)
    return ((_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def bands(sig):
    """The signature's bands, each hashed to a signed 64-bit number (a BigIntegerField)."""
    out = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        out.append(struct.unpack("<q", hashlib.blake2b(chunk, digest_size=8).digest())[0])
    return out


def similarity(a, b):
    """The estimated Jaccard similarity of two signatures (0 to 1)."""
    return float(np.count_nonzero(a == b)) / HASHES


def _unpack(raw):
    return np.frombuffer(bytes(raw), dtype="<u8")


def index_text(article, *, new=False):
    """Store `article`'s signature and bands (replacing any earlier ones). Call it when its text is written,
    inside the write's transaction (the actions do); `new`: the report was just created, nothing to replace."""
    sig = signature(f"{article.title}\n{article.body}")
    if not new:
        TextSignature.objects.filter(article=article).delete()
        TextBand.objects.filter(article=article).delete()
    TextSignature.objects.create(article=article, minhash=sig.astype("<u8").tobytes())
    TextBand.objects.bulk_create(
        TextBand(article=article, band=band, hash=value) for band, value in enumerate(bands(sig))
    )


def near_duplicates(text, *, exclude=None, threshold=NOTICE):
    """Stored reports whose text is at least `threshold` alike `text`: [(article_id, similarity)], closest first.

    One query: the signatures of the reports sharing a band with `text` (an index lookup on the bands).
    """
    sig = signature(text)
    matching = Q()
    for band, value in enumerate(bands(sig)):
        matching |= Q(band=band, hash=value)
    candidates = TextBand.objects.filter(matching).values("article_id")
    if exclude is not None:
        candidates = candidates.exclude(article_id=exclude)
    found = []
    for article_id, raw in TextSignature.objects.filter(article_id__in=candidates).values_list("article_id", "minhash"):
        score = similarity(sig, _unpack(raw))
        if score >= threshold:
            found.append((article_id, score))
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))


def copy_groups(article_ids, threshold=COPY_THRESHOLD):
    """`article_ids` grouped into copies of one text (from their stored signatures): a list of id lists,
    each in the order given, groups in the order of their first member; a report with no copy is alone."""
    sigs = {
        pk: _unpack(raw)
        for pk, raw in TextSignature.objects.filter(article_id__in=article_ids).values_list("article_id", "minhash")
    }
    parent = {pk: pk for pk in article_ids}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    ids = [pk for pk in article_ids if pk in sigs]
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if similarity(sigs[a], sigs[b]) >= threshold:
                parent[root(b)] = root(a)
    groups = {}
    for pk in article_ids:
        groups.setdefault(root(pk), []).append(pk)
    return list(groups.values())


# Reports sharing this many of their 16 bands are counted as copies in lists: for two texts a
# share s alike, a band matches with probability s**4, so 4 bands is what 70% alike shares on average.
LIST_BANDS = 4


def outlets_carrying(visible):
    """An annotation for a report queryset: how many other outlets, among the reports of `visible`
    (an Article queryset, the reader's), carry the same text — counted from the shared bands,
    inside the list's own query (so a page of results costs no further query)."""
    visible_sql, params = visible.order_by().values("pk").query.sql_with_params()
    article, bands = Article._meta.db_table, TextBand._meta.db_table
    sql = (
        f"SELECT COUNT(DISTINCT a2.source_id) FROM ("
        f"SELECT o.article_id FROM {bands} m JOIN {bands} o ON o.hash = m.hash AND o.band = m.band "
        f"AND o.article_id <> m.article_id WHERE m.article_id = {article}.id "
        f"GROUP BY o.article_id HAVING COUNT(*) >= {LIST_BANDS}) c "
        f"JOIN {article} a2 ON a2.id = c.article_id "
        f"WHERE a2.id IN ({visible_sql}) AND COALESCE(a2.source_id, -1) <> COALESCE({article}.source_id, -1)"
    )
    return RawSQL(sql, params, output_field=IntegerField())
