"""nutshell's books, read by meltcheck's service-level oracle: run with the nutshell venv's python.

stdin: {"database": MINT_DATABASE dir, "proofs": [{"id", "amount", "secret", "C"}]}
stdout: {"valid": [bool per proof], "outstanding", "inputFees", "deposits", "lightningPaid", "lightningFees",
         "pendingMelts"}
Signatures are checked with nutshell's own keyset derivation and BDHKE (the mint's keys never leave this
process); the totals come from nutshell's tables. Read-only: nothing here writes to the database.
"""
import json
import sqlite3
import sys

# Only nutshell's crypto modules: importing its mint package costs ~2 s, these ~0.2 s.
from cashu.core.crypto.b_dhke import verify
from cashu.core.crypto.keys import derive_keys
from cashu.core.crypto.secp import PublicKey


def keys_of(row: sqlite3.Row) -> dict:
    """A keyset's private keys, derived as nutshell >= 0.15 derives them (MintKeyset.generate_keys)."""
    version = tuple(int(x) for x in (row["version"] or "0").split(".")[:2])
    if not row["seed"] or row["encrypted_seed"] or version < (0, 15):
        raise SystemExit(f"keyset {row['id']}: seed encrypted or pre-0.15 derivation, not supported here")
    return derive_keys(row["seed"], row["derivation_path"], json.loads(row["amounts"]))


def main() -> None:
    req = json.load(sys.stdin)
    con = sqlite3.connect(f"file:{req['database']}/mint.sqlite3?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    keysets = {r["id"]: r for r in con.execute("SELECT * FROM keysets")}
    keys: dict = {}
    valid = []
    for p in req["proofs"]:
        if p["id"] in keysets and p["id"] not in keys:
            keys[p["id"]] = keys_of(keysets[p["id"]])
        a = keys.get(p["id"], {}).get(int(p["amount"]))
        try:
            valid.append(bool(a) and verify(a, PublicKey(bytes.fromhex(p["C"])), p["secret"]))
        except Exception:
            valid.append(False)
    con = sqlite3.connect(f"file:{req['database']}/mint.sqlite3?mode=ro", uri=True)
    one = lambda q: con.execute(q).fetchone()[0] or 0  # noqa: E731
    print(
        json.dumps(
            {
                "valid": valid,
                "outstanding": one("SELECT SUM(balance) FROM keysets"),
                "inputFees": one("SELECT SUM(fees_paid) FROM keysets"),
                "deposits": one("SELECT SUM(amount) FROM mint_quotes WHERE state = 'ISSUED'"),
                "lightningPaid": one("SELECT SUM(amount) FROM melt_quotes WHERE state = 'PAID'"),
                "lightningFees": one("SELECT SUM(fee_paid) FROM melt_quotes WHERE state = 'PAID'"),
                "pendingMelts": one("SELECT COUNT(*) FROM melt_quotes WHERE state = 'PENDING'"),
            }
        )
    )


main()
