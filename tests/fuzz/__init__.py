"""A standing fuzzer over raw HTTP: hostile requests for the RPC endpoint (``/``) and the
control plane (``/_ecsemu/``). ``generators`` decides what to send, ``harness`` sends it
over a socket and checks the answer; tests/fuzz/test_http_fuzz.py drives them with
hypothesis for a bounded run, bench/fuzz.py with a seeded ``random.Random`` for a long one.
"""
