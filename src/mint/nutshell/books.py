"""nutshell's books, read by meltcheck's service-level oracle: run with the nutshell venv's python.

stdin: {"database": MINT_DATABASE dir, "proofs": [{"id", "amount", "secret", "C"}]}
stdout: {"valid": [bool per proof], "outstanding", "inputFees", "deposits", "lightningPaid", "lightningFees",
         "pendingMelts"}
Signatures are checked with nutshell's own keyset derivation and BDHKE (the mint's keys never leave this
process); the totals come from nutshell's tables. Read-only: nothing here writes to the database.
"""
import asyncio
import json
import sqlite3
import sys

from cashu.core.crypto.b_dhke import verify
from cashu.core.crypto.secp import PublicKey
from cashu.core.db import Database
from cashu.mint.crud import LedgerCrudSqlite


async def main() -> None:
    req = json.load(sys.stdin)
    db = Database("mint", req["database"])
    keysets = {k.id: k for k in await LedgerCrudSqlite().get_keyset(db=db)}
    valid = []
    for p in req["proofs"]:
        k = keysets.get(p["id"])
        a = k.private_keys.get(int(p["amount"])) if k and k.private_keys else None
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


asyncio.run(main())
