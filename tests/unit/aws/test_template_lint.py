"""cfn-lint accepts the template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.unit.aws.template_variants import TEMPLATE_PATH

CFN_LINT = Path(sys.executable).parent / "cfn-lint"


def test_template_passes_cfn_lint():
    result = subprocess.run([str(CFN_LINT), str(TEMPLATE_PATH)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
