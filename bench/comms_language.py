"""How often language detection names the right language on the shared labelled sets' held-out rows.

Run: .venv/bin/python bench/comms_language.py [--data-dir DIR]

English: Davidson's held-out tweets; Amharic: ranlp2023 and trac2024 dev; LIAR valid (English). The
script rule (mostly-Ethiopic text is Amharic) and py3langid alone are both reported.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from peaceops.comms import datasets
from peaceops.comms.language import _langid, detect
from peaceops.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    data_dir = parser.parse_args().data_dir or Settings().data_dir
    sets = [datasets.davidson(data_dir), datasets.amharic_ranlp(data_dir), datasets.amharic_trac(data_dir),
            datasets.liar(data_dir)]  # fmt: skip
    print(f"{'set':<20}{'rows':>6}{'peaceops':>10}{'py3langid':>11}{'items/s':>9}")
    for ds in sets:
        texts = ds.test_texts
        started = time.perf_counter()
        ours = sum(detect(t)[0] == ds.language for t in texts) / len(texts)
        speed = len(texts) / (time.perf_counter() - started)
        plain = sum(_langid().classify(t)[0] == ds.language for t in texts) / len(texts)
        print(f"{ds.name:<20}{len(texts):>6}{ours:>10.3f}{plain:>11.3f}{speed:>9,.0f}")


if __name__ == "__main__":
    main()
