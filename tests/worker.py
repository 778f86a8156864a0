"""A real Celery worker on Redis for the tests that run a scheduled task end to end (the beat task, the outbox and
the tasks behind it each run in the worker). Needs Redis at 127.0.0.1:6379; such a test also needs
`django_db(transaction=True)`, since the worker's thread reads what the test committed."""

import socket
import threading
from collections.abc import Callable
from contextlib import contextmanager

from huizen.celery import app


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def _reset_broker_connections():
    """Forget the connections made to the broker the tests used before (memory://), and any pause the outbox
    took after a send failed, so this test's tasks go to Redis."""
    from huizen import outbox

    app._pool = None
    app.amqp._producer_pool = None
    outbox._broker_down_until = 0.0


@contextmanager
def real_worker(database: int):
    """Tasks go to Redis database `database` (emptied first) and one worker thread runs them; afterwards tasks
    run eagerly again, as in every other test."""
    from celery.contrib.testing.worker import start_worker

    settings_before = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = f"redis://127.0.0.1:6379/{database}"
    app.conf.task_always_eager = False
    _reset_broker_connections()
    try:
        with app.connection_for_write() as connection:
            connection.default_channel.client.flushdb()
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=30):
            yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = settings_before
        _reset_broker_connections()


def wait_until(condition: Callable[[], bool], *, seconds: float = 60) -> bool:
    """Poll `condition` every half second until it holds (True) or `seconds` have passed (False)."""
    for _wait in range(int(seconds * 2)):
        if condition():
            return True
        threading.Event().wait(0.5)
    return condition()
