"""Run calls at the same moment in threads, each on its own database connection (PostgreSQL tests)."""

import threading

from django.db import connections


def run_together(*calls, timeout: float = 60):
    """Release every call at once (a barrier); return each one's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
