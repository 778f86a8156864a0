"""What the production image, docker-compose.yml and `make test`/`make run` give the PDF reports: Pango, HarfBuzz and a
font from the system (WeasyPrint), a worker that builds the reports and exactly one beat that schedules them."""

import io
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ensure-system-libs"
LIBRARIES = ["libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0"]


def script_packages() -> list[str]:
    match = re.search(r"^PACKAGES=\(([^)]*)\)", SCRIPT.read_text(), re.MULTILINE)
    return match.group(1).split()


def test_the_image_installs_what_make_test_installs_for_the_pdf_reports():
    packages = script_packages()
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"} <= set(packages)
    assert any(package.startswith("fonts-") for package in packages)
    # In the runtime stage (the last FROM), not only in the stage that builds the front-end packages.
    runtime = (ROOT / "Dockerfile").read_text().rsplit("\nFROM ", 1)[1]
    install = re.search(r"apt-get install[^&]*", runtime.replace("\\\n", " "))
    assert install, "the runtime stage installs no system packages"
    assert set(packages) <= set(install.group(0).split())
    assert "rm -rf /var/lib/apt/lists" in runtime


def compose_services() -> dict[str, str]:
    """The services of docker-compose.yml (two-space indented keys under `services:`) and their text."""
    text = (ROOT / "docker-compose.yml").read_text()
    block = text.split("\nservices:\n", 1)[1].split("\nvolumes:", 1)[0]
    parts = re.split(r"^  ([a-z][\w-]*):\n", block, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_compose_runs_the_web_app_a_worker_and_exactly_one_beat():
    services = compose_services()
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    beats = [name for name, text in services.items() if re.search(r'"beat"|\bbeat\b.*--schedule|\s-B\b', text)]
    assert beats == ["beat"]
    assert "replicas: 1" in services["beat"]
    assert '"worker"' in services["worker"] and "-B" not in services["worker"].split()
    # The worker (which builds the reports) and beat run the same image as the web app: the one with Pango.
    for name in ("web", "worker", "beat"):
        assert "<<: *app" in services[name], name
    assert "build: ." in (ROOT / "docker-compose.yml").read_text().split("\nservices:", 1)[0]


@pytest.fixture
def stubs(tmp_path):
    """A PATH with stand-ins for the commands the script asks: `ldconfig` and `fc-list` report the libraries and a
    font once `apt-get install` (a stand-in that records its arguments) has run, or at once when `installed`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "installed"
    calls = tmp_path / "apt-get.calls"
    listing = "\\n".join(f"\\t{library} (libc6,x86-64) => /usr/lib/{library}" for library in LIBRARIES)
    scripts = {
        "ldconfig": f'[ -e "{marker}" ] && printf "{listing}\\n"; exit 0',
        "fc-list": f'[ -e "{marker}" ] && echo "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf: DejaVu Sans"; exit 0',
        "apt-get": f'echo "$*" >> "{calls}"; [ "$1" = install ] && touch "{marker}"; exit 0',
        "uname": "echo Linux",
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    def run(*, uid: int, installed: bool = False) -> subprocess.CompletedProcess:
        (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
        (bin_dir / "id").chmod(0o755)
        if installed:
            marker.touch()
        env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
        return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30)

    run.calls = calls
    return run


def test_nothing_to_do_when_the_libraries_and_a_font_are_there(stubs):
    result = stubs(uid=1000, installed=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not stubs.calls.exists()


def test_without_root_it_names_what_is_missing_and_the_command_that_installs_it(stubs):
    result = stubs(uid=1000)
    assert result.returncode == 1
    assert "missing: libpango-1.0.so.0, libpangoft2-1.0.so.0, libharfbuzz-subset.so.0, a font." in result.stderr
    assert f"sudo apt-get install {' '.join(script_packages())}" in result.stderr
    assert not stubs.calls.exists()


def test_as_root_it_installs_them_with_apt_get(stubs):
    result = stubs(uid=0)
    assert result.returncode == 0, result.stderr
    assert "Installing what the PDF reports need" in result.stdout
    calls = stubs.calls.read_text().splitlines()
    assert calls[0] == "update -q"
    assert calls[1] == f"install -y -q --no-install-recommends {' '.join(script_packages())}"


def test_weasyprint_renders_text_with_the_fonts_of_this_machine():
    """The check the script makes is enough: with those libraries and a font, a PDF with readable text comes out."""
    import weasyprint
    from pypdf import PdfReader

    pdf = weasyprint.HTML(string="<h1>Kwartaalrapportage</h1><p>Huis van de Wijk Middelland: 1.234 bezoeken</p>")
    text = PdfReader(io.BytesIO(pdf.write_pdf())).pages[0].extract_text()
    assert "Kwartaalrapportage" in text and "Middelland: 1.234 bezoeken" in text
