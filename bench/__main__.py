"""`python -m bench` (make bench): every benchmark module of this folder, one after another, each
in its own process (each sets up Django its own way, some with their own database)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_"))
    failed = []
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent).returncode:
            failed.append(name)
    if failed:
        sys.exit("失败的基准：" + "、".join(failed))


if __name__ == "__main__":
    main()
