"""Every notebook executes top to bottom (quick settings, a python3 kernel of this venv).

The notebooks share one kernel (TensorFlow is imported once), and the user
namespace is wiped with ``%reset -f`` before each one, so a notebook that relies
on a name defined by another still fails.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A `python3` kernel spec that runs this interpreter, first on JUPYTER_PATH."""
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (forecast)",
        "language": "python",
    }))
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(root))
    mp.setenv("FORECAST_QUICK", "1")
    mp.setenv("MPLBACKEND", "Agg")
    mp.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    yield root
    mp.undo()


def test_notebooks_exist_and_are_stored_without_outputs():
    assert 3 <= len(NOTEBOOKS) <= 5
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name} is stored with outputs"
                assert cell.execution_count is None, path.name


@pytest.fixture(scope="module")
def kernel(kernel_env):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(NOTEBOOKS[0].parent))
    yield km
    km.shutdown_kernel(now=True)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, kernel):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "get_ipython().run_line_magic('reset', '-f')\n"
        "import matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"
    ))
    client = nbclient.NotebookClient(nb, km=kernel, timeout=300,
                                     resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    assert not path.read_text().count('"output_type"')  # the stored file is untouched
