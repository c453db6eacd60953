import subprocess
import sys


def test_engine_never_imports_django():
    code = (
        "import sys, handlespor.engine, handlespor.engine.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
