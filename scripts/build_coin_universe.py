"""Build crypto_assets/history/coin_universe.csv from the recorded sources (see its .source.txt)."""

import csv
import itertools
import json
import re
import subprocess
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = sys.argv[1] if len(sys.argv) > 1 else "/tmp/uni/coin_universe.csv"
CMC_REPO = "/work/.mirror/smoothbrainquant+trading-for-new-dads/repo"
CMC_COMMIT = "ca5c8252b300529d173259b29764cf6e926d77a5"
B22_REPO = "/work/.mirror/arbyn-argabioso+ohlcv/repo"
B22_COMMIT = "93abac39391660c510792fea9f8f77d60c91d2e5"
B25_REPO = "/work/.mirror/HighRol1er+w3dyt/repo"
B25_COMMIT = "9c468e923ce0fcb1d70c3672bb739a1e1533693f"
CL21 = "/work/main/crypto_assets_tests/fixtures/coinlore_tickers_7000coins_2021-12.csv"
CL24 = "/work/main/crypto_assets/sources/recordings/coinlore_tickers_top100_2024-12-07.json"
START = date(2021, 1, 1)
B22_DATE = date(2022, 7, 24)
B25_DATE = date(2025, 2, 14)


def git_show(repo, commit, path):
    return subprocess.run(
        ["git", "-C", repo, "show", f"{commit}:{path}"], capture_output=True, text=True, check=True
    ).stdout


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def norm(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def d(s):
    return datetime.strptime(s, "%Y%m%d").date()


# ---------------------------------------------------------------- CMC monthly snapshots
cmc_rows = []
for line in csv.DictReader(
    git_show(CMC_REPO, CMC_COMMIT, "data/raw/coinmarketcap_monthly_all_snapshots.csv").splitlines()
):
    day = d(line["snapshot_date"])
    if day >= START:
        cmc_rows.append(
            {
                "day": day,
                "rank": int(line["Rank"]),
                "name": line["Name"].strip(),
                "symbol": line["Symbol"],
            }
        )
SNAPSHOTS = sorted({r["day"] for r in cmc_rows})
NEXT = {a: b for a, b in itertools.pairwise(SNAPSHOTS)}  # last one is open-ended

# ---------------------------------------------------------------- identity of a CMC row
TERRA_EVENT = date(2022, 5, 28)  # Terra 2.0 genesis; CMC/Binance rename LUNA->LUNC, UST->USTC
RENAMES = {  # new symbol -> old symbol: the same listing renamed (CMC kept one entry)
    "LUNC": "LUNA", "USTC": "UST", "S": "FTM", "FRAX": "FXS", "A": "EOS", "BEAM": "MC",
    "IOTA": "MIOTA", "RENDER": "RNDR", "G": "GAL", "VIC": "TOMO", "SKY": "MKR", "XAUt": "XAUT",
}  # fmt: skip
SPLIT_NAMES = {  # (symbol, name) -> own identity: one symbol used by different coins
    ("BTT", "BitTorrent (New)"): "BTT-new", ("BTT", "BitTorrent-New"): "BTT-new",
    ("BTT", "BitTorrent(New)"): "BTT-new", ("BTT", "BitTorrent [New]"): "BTT-new",
    ("STRK", "Starknet"): "STRK-starknet", ("SUN", "Sun (New)"): "SUN-new",
    ("SUN", "Sun [New]"): "SUN-new", ("KNC", "Kyber Network Crystal v2"): "KNC-v2",
    ("BNX", "BinaryX (old)"): "BNX-old",
}  # fmt: skip


def identity(row):
    sym = row["symbol"]
    if sym == "LUNA" and row["day"] > TERRA_EVENT:
        return "LUNA-terra2"
    if (sym, row["name"]) in SPLIT_NAMES:
        return SPLIT_NAMES[(sym, row["name"])]
    while sym in RENAMES:
        sym = RENAMES[sym]
    return sym


for r in cmc_rows:
    r["key"] = identity(r)
# A migrated-away "(old)" token is left out; a renamed coin listed twice in one snapshot (GAL
# and G on 2024-09-01) keeps its better-ranked row.
cmc_rows = [r for r in cmc_rows if not r["name"].endswith("(old)")]
best_rows = {}
for r in sorted(cmc_rows, key=lambda r: r["rank"]):
    best_rows.setdefault((r["day"], r["key"]), r)
cmc_rows = sorted(best_rows.values(), key=lambda r: (r["day"], r["rank"]))

# ---------------------------------------------------------------- Coinlore ids
coinlore = defaultdict(dict)  # symbol -> id -> (name, nameid)
for c in json.loads(Path(CL24).read_text())["data"]:
    coinlore[c["symbol"]][c["id"]] = (c["name"], c["nameid"])
for c in csv.DictReader(Path(CL21).read_text().splitlines()):
    coinlore[c["symbol"]].setdefault(c["id"], (c["name"], c["nameid"]))
COINLORE_NAME = {i: v for ids in coinlore.values() for i, v in ids.items()}
ALIAS_IDS = {  # identity -> Coinlore id, same project under another name (checked by hand)
    "CRO": "33819", "VIRTUAL": "127083", "GT": "36575", "MC": "136107", "OMG": "232",
    "REN": "32390", "BTMX": "33544", "ZB": "33529", "RIF": "33764", "BTCST": "48717",
    "MVL": "32895", "MXC": "33734", "YFII": "45009", "MCO": "211", "NOIA": "36452",
    "SLP": "42859", "XZC": "132",
}  # fmt: skip
NO_COINLORE = {  # same symbol and a similar name in Coinlore, but another coin
    "SKY", "RON", "WAL", "BLUR", "SCRT", "SAFE", "SUN", "USELESS", "SAGA", "ICP", "BONE", "ZKS",
    "BTT-new", "STRK-starknet", "SUN-new", "KNC-v2", "BNX-old", "LUNA-terra2", "POL",
}  # fmt: skip
OWN_IDS = {
    "LUNA-terra2": ("u:terra-luna-2", "terra-luna-2"),
    "POL": ("u:polygon-ecosystem-token", "polygon-ecosystem-token"),
}

names_of = defaultdict(list)
for r in sorted(cmc_rows, key=lambda r: r["day"]):
    if r["name"] not in names_of[r["key"]]:
        names_of[r["key"]].append(r["name"])


def coinlore_id(key):
    if key in ALIAS_IDS:
        return ALIAS_IDS[key]
    if key in NO_COINLORE:
        return None
    base = key.split("-")[0]
    nn = {norm(n) for n in names_of[key]}
    hits = [
        i
        for i, (n, _) in coinlore.get(base, {}).items()
        if norm(n) in nn
        or any(len(x) > 2 and len(norm(n)) > 2 and (norm(n) in x or x in norm(n)) for x in nn)
    ]
    if len(hits) > 1:  # prefer an exact name
        exact = [i for i in hits if norm(COINLORE_NAME[i][0]) in nn]
        hits = exact or sorted(hits, key=int)[-1:]
    return hits[0] if len(hits) == 1 else None


ids, nameids, used = {}, {}, set()
for key in sorted(names_of, key=lambda k: min(r["rank"] for r in cmc_rows if r["key"] == k)):
    if key in OWN_IDS:
        ids[key], nameids[key] = OWN_IDS[key]
    elif cid := coinlore_id(key):
        ids[key], nameids[key] = cid, COINLORE_NAME[cid][1]
    else:
        s = slug(names_of[key][0]) or slug(key)
        ids[key], nameids[key] = f"u:{s}", s
    assert ids[key] not in used, (key, ids[key])
    used.add(ids[key])

# ---------------------------------------------------------------- membership pieces
# piece = (from, to, symbol, name, rank, source); to None = open-ended
pieces = defaultdict(list)
for r in cmc_rows:
    pieces[r["key"]].append(
        [
            r["day"],
            NEXT.get(r["day"]),
            r["symbol"],
            r["name"],
            r["rank"],
            f"cmc-{r['day']:%Y-%m-%d}",
        ]
    )

CURATED = [  # key, from, to, symbol, name, rank (of the next snapshot that has the coin)
    ("LUNA", date(2022, 5, 28), date(2022, 10, 1), "LUNC", "Terra Classic", 31),
    ("LUNA-terra2", date(2022, 5, 28), date(2022, 10, 1), "LUNA", "Terra", 101),
    ("UST", date(2022, 5, 28), date(2022, 6, 1), "USTC", "TerraClassicUSD", 156),
    ("FTT", date(2022, 12, 1), date(2023, 12, 1), "FTT", "FTX Token", 46),
    ("POL", date(2024, 9, 4), date(2024, 10, 1), "POL", "POL (ex-MATIC)", 31),
]
for key, a, b, sym, name, rank in CURATED:
    kept = []
    for p in pieces[key]:  # cut snapshot pieces where the curated piece lies
        if (p[1] is not None and p[1] <= a) or p[0] >= b:
            kept.append(p)
            continue
        if p[0] < a:
            kept.append([p[0], a, *p[2:]])
        if p[1] is None or p[1] > b:
            kept.append([b, p[1], *p[2:]])
    kept.append([a, b, sym, name, rank, "curated"])
    pieces[key] = sorted(kept, key=lambda p: p[0])

# ---------------------------------------------------------------- Binance USDT pairs
b22 = {}
for pid, sym, start in re.findall(
    r'"id": "(\w+)",\s*"symbol": "([^"]+)",\s*"start": (\d+)',
    git_show(B22_REPO, B22_COMMIT, "ohlcv/metadata/binance.py"),
):
    base, quote = sym.split("/")
    if quote == "USDT":
        b22[base] = (pid, datetime.utcfromtimestamp(int(start) / 1000).date())  # pid: BCHSVUSDT
b25 = set(
    re.findall(
        r'"baseAsset": "(\w+)",\s*"quoteAsset": "USDT"',
        git_show(B25_REPO, B25_COMMIT, "server/scripts/market/binance-market-data.ts"),
    )
)
BINANCE_BASE = {"MIOTA": "IOTA", "XZC": "FIRO"}
NO_PAIR = {"USDT"}  # the quote currency itself: its USDT price is 1 by definition
CURATED_PAIRS = {  # (key, symbol) -> (pair, from, to): the pair's lifetime, from public notices
    ("LUNA", "LUNA"): ("LUNAUSDT", date(2020, 8, 21), date(2022, 5, 13)),
    ("LUNA-terra2", "LUNA"): ("LUNAUSDT", date(2022, 5, 31), None),
    ("UST", "UST"): ("USTUSDT", date(2021, 12, 24), date(2022, 5, 13)),
    ("MATIC", "MATIC"): ("MATICUSDT", date(2019, 4, 26), date(2024, 9, 10)),
    ("POL", "POL"): ("POLUSDT", date(2024, 9, 13), None),
    ("BSV", "BSV"): ("BCHSVUSDT", date(2018, 11, 16), date(2019, 4, 22)),
}
AFTER_B22 = B22_DATE + timedelta(days=1)
REUSED_PAIR = {
    ("STRK-starknet", "STRK"),
    ("MC", "BEAM"),
}  # the 2022 list's STRKUSDT/BEAMUSDT: older coins


def pair_of(key, symbol):
    """(pair, pair_from, pair_to, seen) for a coin under a symbol, or None."""
    if (key, symbol) in CURATED_PAIRS:
        return (*CURATED_PAIRS[(key, symbol)], "curated")
    if symbol in NO_PAIR:
        return None
    if key == "BTT-new":
        base = "BTTC"
    elif key == "BNX-old":  # the migrated-away token; Binance's BNXUSDT is the current one
        base = None
    else:
        base = BINANCE_BASE.get(symbol, symbol)
    if base is None:
        return None
    in22, in25 = base in b22 and (key, symbol) not in REUSED_PAIR, base in b25
    if in22 and in25:
        return (b22[base][0], b22[base][1], None, "b2022+b2025")
    if in22:
        return (b22[base][0], b22[base][1], None, "b2022")
    if in25:
        return (f"{base}USDT", AFTER_B22, None, "b2025")
    return None


# ---------------------------------------------------------------- rows
BANDS = (10, 20, 50, 100)  # 100 is the matcher's WELL_KNOWN_MAX_RANK


def band(rank):
    return sum(rank > b for b in BANDS)


rows = []
for key, ps in pieces.items():
    ps.sort(key=lambda p: p[0])
    # elementary pieces split at pair boundaries
    split = []
    for a, b, sym, name, rank, src in ps:
        pair = pair_of(key, sym)
        cuts = (
            sorted({x for x in (pair[1], pair[2]) if pair and x and a < x and (b is None or x < b)})
            if pair
            else []
        )
        bounds = [a, *cuts, b]
        for x, y in itertools.pairwise(bounds):
            on = pair and pair[1] <= x and (pair[2] is None or x < pair[2])
            split.append([x, y, sym, name, rank, src, pair if on else None])
    merged = []
    for p in split:
        last = merged[-1] if merged else None
        if (
            last
            and last[1] == p[0]
            and last[2:4] == p[2:4]
            and band(last[4]) == band(p[4])
            and last[6] == p[6]
            and (last[5] == "curated") == (p[5] == "curated")
        ):
            last[1] = p[1]
        else:
            merged.append(list(p))
    for a, b, sym, name, rank, src, pair in merged:
        rows.append(
            {
                "coin_id": ids[key],
                "symbol": sym,
                "name": name,
                "nameid": nameids[key],
                "rank": rank,
                "valid_from": a.isoformat(),
                "valid_to": b.isoformat() if b else "",
                "binance_pair": pair[0] if pair else "",
                "pair_from": pair[1].isoformat() if pair and pair[1] else "",
                "pair_to": pair[2].isoformat() if pair and pair[2] else "",
                "pair_seen": pair[3] if pair else "",
                "fixed_price_usdt": "1" if sym in NO_PAIR else "",
                "source": src,
            }
        )
rows.sort(key=lambda r: (r["valid_from"], r["rank"], r["coin_id"]))
with open(OUT, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
print(len(rows), "rows", len({r["coin_id"] for r in rows}), "coins", file=sys.stderr)
