# Integration tests (golden outputs, bad input, determinism) are added here.
