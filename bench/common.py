"""What the benchmarks share: a throwaway PostgreSQL database and a results file with one section per
database vendor (so the SQLite and PostgreSQL runs of one benchmark keep each other's figures)."""

import sys
from pathlib import Path


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database of ``url``; only a throwaway name (console_bench…, or …_bench for a
    developer's own prefix such as act_bench) is ever dropped."""
    import environ
    import psycopg

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if not (name.startswith("console_bench") or name.endswith("_bench")):
        sys.exit(f"Refusing to drop {name!r}: use a database named console_bench… or …_bench for the benchmark.")
    with psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"],
                         password=config["PASSWORD"] or None, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def write_section(results: Path, vendor: str, lines: list[str]) -> None:
    """Replace the ``## <vendor>`` section of ``results`` with ``lines``, keeping the other sections."""
    results.parent.mkdir(parents=True, exist_ok=True)
    sections: dict[str, list[str]] = {}
    if results.exists():
        current = None
        for line in results.read_text().splitlines():
            if line.startswith("## "):
                current = line[3:]
                sections[current] = []
            elif current:
                sections[current].append(line)
    sections[vendor] = lines
    results.write_text("".join(f"## {name}\n" + "\n".join(body) + "\n" for name, body in sorted(sections.items())))
