"""The course's hand-in page (what staff grade) against GitHub's rendering; see docs/handin.md."""
