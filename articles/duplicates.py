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

import datetime
import hashlib
import struct
from functools import partial

import numpy as np
from django.db import connection
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, LessThan
from django.db.models.signals import post_save

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
    if len(tokens) >= SHINGLE:
        runs = set(map(" ".join, zip(*(tokens[i:] for i in range(SHINGLE)), strict=False)))  # the shortest ends it
    else:
        runs = {" ".join(tokens)} - {""}
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
    """Store `article`'s signature and bands (replacing any earlier ones): `index_texts` for one report."""
    return index_texts([article], new=new)[article.pk]


def index_texts(articles, *, new=False):
    """Store the signatures and bands of `articles` (replacing any earlier ones): two INSERTs for all of them.
    Call it when their text is written, inside the write's transaction (the actions do); `new`: the reports
    were just created, nothing to replace. Returns {article id: signature}.

    A new signature is what tells `articles/derived.py` to look for the reports' copies: the rows are
    inserted together, so each one's `post_save` is sent here, as its own save would have sent it.
    """
    sigs = {article.pk: signature(f"{article.title}\n{article.body}") for article in articles}
    if not sigs:
        return sigs
    if not new:
        TextBand.objects.filter(article__in=list(sigs)).delete()
        TextSignature.objects.filter(article__in=list(sigs)).delete()
    rows = [(pk, band, value) for pk, sig in sigs.items() for band, value in enumerate(bands(sig))]
    with connection.cursor() as cursor:  # sixteen rows a report: inserted as tuples, not as model instances
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO articles_textband (article_id, band, hash) "
                "SELECT * FROM unnest(%s::bigint[], %s::smallint[], %s::bigint[])",
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            cursor.executemany("INSERT INTO articles_textband (article_id, band, hash) VALUES (%s, %s, %s)", rows)
    rows = [TextSignature(minhash=sigs[article.pk].astype("<u8").tobytes()) for article in articles]
    for article, row in zip(articles, rows, strict=True):
        article.text_signature = row  # kept on the report: `stored_signature` reads it back without a query
    TextSignature.objects.bulk_create(rows)
    for row in rows:
        post_save.send(
            sender=TextSignature, instance=row, created=True, raw=False, using=row._state.db, update_fields=None
        )
    return sigs


def stored_signature(article):
    """The signature stored for `article` (as `index_texts` just wrote it, without a query)."""
    return _unpack(article.text_signature.minhash)


def near_duplicates(text, *, exclude=None, threshold=NOTICE):
    """Stored reports whose text is at least `threshold` alike `text`: [(article_id, similarity)], closest first.

    One query: the signatures of the reports sharing a band with `text` (an index lookup on the bands).
    """
    ignore = None if exclude is None else (lambda _key, article_id: article_id == exclude)
    return near_duplicates_of({None: signature(text)}, threshold=threshold, ignore=ignore)[None]


def near_duplicates_of(sigs, *, threshold=NOTICE, ignore=None, in_hand=None):
    """`near_duplicates` for many texts at once: {key: signature} -> {key: [(article_id, similarity)]}.

    One query for all of them: the signatures of the stored reports sharing a band hash with any of the
    texts (an index lookup on the bands); a candidate counts for a text when it has the same hash in the
    same band (its bands are computed again from its signature). `ignore(key, article_id)` leaves a
    candidate out of `key`'s answer. `in_hand`: {article id: signature} of stored reports the caller
    holds (those it has just written, keyed by their ids in `sigs` too): compared without reading them.
    """
    in_hand = in_hand or {}
    own = {key: bands(sig) for key, sig in sigs.items()}
    wanted = {}  # (band, hash) -> the keys of the texts that have it
    for key, values in own.items():
        for band, value in enumerate(values):
            wanted.setdefault((band, value), []).append(key)
    found = {key: [] for key in sigs}
    if not wanted:
        return found
    sharing = TextBand.objects.filter(hash__any_of=sorted({value for _band, value in wanted}))
    if in_hand:
        sharing = sharing.exclude(article_id__any_of=sorted(in_hand))
    rows = TextSignature.objects.filter(article_id__in=sharing.values("article_id")).values_list(
        "article_id", "minhash"
    )
    candidates = [(article_id, _unpack(raw), None) for article_id, raw in rows]
    candidates += [(article_id, sig, own.get(article_id)) for article_id, sig in in_hand.items()]
    for article_id, theirs, their_bands in candidates:
        their_bands = bands(theirs) if their_bands is None else their_bands
        keys = {key for band, value in enumerate(their_bands) for key in wanted.get((band, value), ())}
        for key in keys:
            if ignore is not None and ignore(key, article_id):
                continue
            score = similarity(sigs[key], theirs)
            if score >= threshold:
                found[key].append((article_id, score))
    return {key: sorted(pairs, key=lambda pair: (-pair[1], pair[0])) for key, pairs in found.items()}


def _root(parent, pk):
    """The representative of `pk` in the union-find forest `parent` (id -> parent id), halving the path."""
    while parent[pk] != pk:
        parent[pk] = parent[parent[pk]]
        pk = parent[pk]
    return pk


def copy_groups(article_ids, threshold=COPY_THRESHOLD):
    """`article_ids` grouped into copies of one text (from their stored signatures): a list of id lists,
    each in the order given, groups in the order of their first member; a report with no copy is alone."""
    sigs = {
        pk: _unpack(raw)
        for pk, raw in TextSignature.objects.filter(article_id__in=article_ids).values_list("article_id", "minhash")
    }
    parent = {pk: pk for pk in article_ids}
    root = partial(_root, parent)

    ids = [pk for pk in article_ids if pk in sigs]
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if similarity(sigs[a], sigs[b]) >= threshold:
                parent[root(b)] = root(a)
    groups = {}
    for pk in article_ids:
        groups.setdefault(root(pk), []).append(pk)
    return list(groups.values())


def _copies_of(article_ids):
    """Pairs (a, b), a in `article_ids`, b another published report whose text is a copy of a's
    (at least `COPY_THRESHOLD` alike on their signatures): one query for the published reports'
    bands that any of `article_ids` has (theirs included), one for the candidates' signatures."""
    ids = set(article_ids)
    own_hashes = TextBand.objects.filter(article_id__in=ids).values("hash")
    sharing = TextBand.objects.filter(hash__in=own_hashes, article__status=Article.Status.PUBLISHED)
    by_band = {}
    for article_id, band, value in sharing.values_list("article_id", "band", "hash"):
        by_band.setdefault((band, value), set()).add(article_id)
    candidates = {
        (a, b) for members in by_band.values() if len(members) > 1 for a in members & ids for b in members if a != b
    }
    if not candidates:
        return []
    wanted = {pk for pair in candidates for pk in pair}
    sigs = {
        pk: _unpack(raw)
        for pk, raw in TextSignature.objects.filter(article_id__in=wanted).values_list("article_id", "minhash")
    }
    return sorted(
        (a, b) for a, b in candidates if a in sigs and b in sigs and similarity(sigs[a], sigs[b]) >= COPY_THRESHOLD
    )


def regroup(article_ids):
    """Bring `Article.copy_group` up to date for these reports and the reports grouped with them.

    The published reports that are copies of one another (at least `COPY_THRESHOLD` alike, and
    transitively: a copy of a copy is in the group) share the lowest id among them; a report alone,
    and every unpublished report (a draft is never grouped, so it can never be counted or named by
    a public list), has none. Called by `articles/derived.py` once per action, after the reports'
    text, signature or status changed (and for the former group of a deleted report).
    """
    ids = {pk for pk in article_ids if pk is not None}
    if not ids:
        return
    old_groups = Article.objects.filter(pk__in=ids, copy_group__isnull=False).values("copy_group")
    rows = Article.objects.filter(Q(pk__in=ids) | Q(copy_group__in=old_groups)).values_list(
        "pk", "status", "copy_group"
    )
    old = {pk: group for pk, _status, group in rows}
    members = {pk for pk, status, _group in rows if status == Article.Status.PUBLISHED}
    if not members and not any(old.values()):
        return
    parent = {pk: pk for pk in members}
    root = partial(_root, parent)

    frontier = set(members)
    while frontier:  # the copies of the copies, until no new report is found (one round, mostly)
        pairs = _copies_of(frontier)
        frontier = {b for _a, b in pairs} - members
        members |= frontier
        for a, b in pairs:
            parent.setdefault(b, b)
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    found = members - set(old)  # copies found that were not asked about: their current group, to compare
    if found:
        old.update(Article.objects.filter(pk__in=found).values_list("pk", "copy_group"))
    sizes = {}
    for pk in members:
        sizes[root(pk)] = sizes.get(root(pk), 0) + 1
    wanted = {pk: (root(pk) if sizes[root(pk)] > 1 else None) for pk in members}
    for pk in old:
        wanted.setdefault(pk, None)  # unpublished, or deleted from its group
    changes = {}
    for pk, group in wanted.items():
        if old.get(pk) != group:
            changes.setdefault(group, []).append(pk)
    for group, pks in changes.items():
        Article.objects.filter(pk__in=pks).update(copy_group=group)


def rebuild_copy_groups(batch_size=5000):
    """Every published report's `copy_group` computed afresh (after the migration that added it, or to repair)."""
    Article.objects.exclude(copy_group=None).update(copy_group=None)
    ids = list(Article.objects.published().order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), batch_size):
        regroup(ids[i : i + batch_size])
    return len(ids)


# --- Copies in lists ------------------------------------------------------------------------------

# Undated reports come after every dated one in "the earliest printing".
_UNDATED = datetime.date(9999, 12, 31)


def first_printings(results, matching):
    """`results` without the reports that a report of `matching` printed earlier carries the same text of.

    Each group of copies (`Article.copy_group`) among the matching reports is shown once, by its
    earliest printing: the earliest date (printed, else approximate; undated last), and of equal
    dates the first archived (lowest id). The rule does not depend on the order or the page asked
    for, so each text is on exactly one page of any order. `matching` is the reader's filtered,
    visible reports (the list's own), so a copy that is filtered out or unpublished never hides one.
    """
    printed, outer = Coalesce("dated", Value(_UNDATED)), Coalesce(OuterRef("dated"), Value(_UNDATED))
    earlier = matching.filter(copy_group=OuterRef("copy_group")).filter(
        LessThan(printed, outer) | (Exact(printed, outer) & Q(pk__lt=OuterRef("pk")))
    )
    return results.filter(Q(copy_group__isnull=True) | ~Exists(earlier))


def attach_copies(articles, visible):
    """Give each report of `articles` (one page of a list) `copies`, the other reports of `visible` that
    carry its text, earliest printing first, with their outlets, and `other_outlets`, how many outlets
    other than its own those are. One query, none when no report on the page has a copy."""
    articles = list(articles)
    groups = {a.copy_group for a in articles if a.copy_group is not None}
    members = {}
    if groups:
        found = visible.filter(copy_group__in=groups).select_related("source")
        for copy in found.order_by(Coalesce("dated", Value(_UNDATED)), "pk"):
            members.setdefault(copy.copy_group, []).append(copy)
    for article in articles:
        article.copies = [c for c in members.get(article.copy_group, ()) if c.pk != article.pk]
        article.other_outlets = len({c.source_id for c in article.copies} - {article.source_id})
    return articles
