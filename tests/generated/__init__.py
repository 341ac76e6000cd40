"""Tests of the generated clients: examples round-trip, tolerance, open enums, every operation, multipart."""
