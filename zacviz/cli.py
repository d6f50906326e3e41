"""The ``zacviz`` command (SPEC §4).

Sub-commands sit in a registry; each imports what it needs when it runs, so
``zacviz check`` loads neither Qt nor OpenGL and starts about as fast as shapely.
Exit status: 0 success (``check``: compliant), 1 ``check``: not compliant,
2 bad input or usage, with one ``error:`` line on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_NOT_COMPLIANT = 1
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad command-line usage, reported as one ``error:`` line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse makes a formatter for every argument added; without a width
        # it imports shutil (with bz2, lzma and zlib) to measure the terminal,
        # milliseconds at every start of ``zacviz check``. The same width here.
        return self.formatter_class(prog=self.prog, width=_terminal_columns() - 2)  # type: ignore[call-arg]


def _terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size().columns`` gives it."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str) -> Callable[[Callable[[argparse.ArgumentParser], None]], Callable]:
    """Register a sub-command: decorate its parser set-up; ``run`` is attached below."""

    def deco(configure: Callable[[argparse.ArgumentParser], None]):
        def attach(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
            COMMANDS[name] = Command(name, help, configure, run)
            return run

        return attach

    return deco


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=("fr", "en"),
        default=None,
        help="language of messages (default: fr, or $ZACVIZ_LANG)",
    )


def _set_language(args: argparse.Namespace) -> None:
    from zacviz import i18n

    i18n.set_language(args.lang or i18n.default_language())


def load_project_and_site(project_path: str, site_dir: str | None, *, with_context: bool = True):
    """The project and its site (``--site`` or the bundled site named in the project)."""
    from zacviz.io.project_file import check_reach, load_project
    from zacviz.io.site_folder import find_site, load_site
    from zacviz.rules.engine import resolve_lot

    project = load_project(project_path)
    folder = site_dir if site_dir is not None else find_site(project.site)
    site = load_site(folder, with_context=with_context)
    lot = resolve_lot(project, site)  # an unknown lot is an error before any warning
    check_reach(project, lot.polygon)  # SPEC §2: every vertex within 10 km of the lot
    if site.id != project.site:
        print(
            f"warning: the project is for site {project.site!r}, checked on site {site.id!r}",
            file=sys.stderr,
        )
    return project, site


# ------------------------------------------------------------------ check


def _configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (*.zacviz.json)")
    p.add_argument("--site", metavar="DIR", help="site folder (default: the bundled site the project names)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _lang_option(p)


@command("check", "check a project against its lot's rules")(_configure_check)
def run_check(args: argparse.Namespace) -> int:
    import json

    from zacviz.rules.engine import check_project, resolve_lot

    _set_language(args)
    project, site = load_project_and_site(args.project, args.site, with_context=False)
    lot = resolve_lot(project, site)
    result = check_project(project, site, at_fault=False, numpy_union=True)  # nothing is drawn
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(format_check_text(result, lot))
    return EXIT_OK if result.compliant else EXIT_NOT_COMPLIANT


def format_check_text(result, lot) -> str:
    """The human-readable report of a check."""
    from zacviz.i18n import fmt_number, fmt_percent, tr
    from zacviz.rules import table

    m = result.metrics
    lines = [
        tr("cli.lot", lot=lot.id, area=fmt_number(m.lot_area_m2, 0), zone=lot.zone),
        f"  {tr('cli.metric.footprint_m2')}: {fmt_number(m.footprint_m2, 0)} m² ({fmt_percent(m.coverage)})",
        f"  {tr('cli.metric.floor_area_m2')}: {fmt_number(m.floor_area_m2, 0)} m²",
        f"  {tr('cli.metric.sealed_m2')}: {fmt_number(m.sealed_m2, 0)} m²",
        f"  {tr('cli.metric.green_ratio')}: {fmt_percent(m.green_ratio)}",
        f"  {tr('cli.metric.parking')}: {m.parking_required} / {m.parking_provided}",
        "",
    ]
    for r in result.rules:
        mark = "OK " if r.ok else "NON" if _lang_is_fr() else "NO "
        entry = table.rule(r.id)
        lines.append(f"[{mark}] {entry.title()} ({entry.limit_text(r.limit)}) : {r.message()}")
    lines.append("")
    lines.append(tr("cli.compliant") if result.compliant else tr("cli.not_compliant"))
    lines.append(tr("cli.disclaimer"))
    return "\n".join(lines)


def _lang_is_fr() -> bool:
    from zacviz.i18n import language

    return language() == "fr"


# ----------------------------------------------------------------- render


def _configure_render(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (*.zacviz.json)")
    p.add_argument("--view", choices=("plan", "3d"), default="plan", help="what to draw (default: plan)")
    p.add_argument("--out", metavar="FILE.png", required=True, help="the picture to write")
    p.add_argument("--size", metavar="WxH", default="1600x1000", help="picture size in pixels (1600x1000)")
    p.add_argument(
        "--extent",
        metavar="site|lot|X0,Y0,X1,Y1",
        default="lot",
        help="what the plan frames: the project's lot (default), the whole site, or a rectangle in metres",
    )
    p.add_argument("--site", metavar="DIR", help="site folder (default: the bundled site the project names)")
    _lang_option(p)


@command("render", "draw a project as a picture, without a window")(_configure_render)
def run_render(args: argparse.Namespace) -> int:
    from zacviz.errors import InputError

    _set_language(args)
    from zacviz.ui.render import parse_extent, parse_size

    size = parse_size(args.size)
    extent = parse_extent(args.extent)
    if args.view == "3d":
        # Before the project is read: the rerun reads it (and says what is
        # wrong with it) itself; a 16 MB project read twice cost seconds.
        rerun = _rerun_on_virtual_screen(args)
        if rerun is not None:
            return rerun
    project, site = load_project_and_site(args.project, args.site)
    if args.view == "3d":
        from zacviz.ui.render3d import render_3d

        try:
            out = render_3d(project, site, args.out, size)
        except RuntimeError as exc:  # no display, no OpenGL: say so in one line
            raise InputError(str(exc)) from None
    else:
        from zacviz.ui.application import offscreen_if_headless
        from zacviz.ui.render import render_plan

        offscreen_if_headless()
        out = render_plan(project, site, args.out, size, extent)
    print(f"ok: {out}")
    return EXIT_OK


# ----------------------------------------------------------------- report


def _configure_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (*.zacviz.json)")
    p.add_argument("--out", metavar="FILE.pdf", required=True, help="the PDF sheet to write")
    p.add_argument("--site", metavar="DIR", help="site folder (default: the bundled site the project names)")
    p.add_argument(
        "--viewer-url",
        metavar="URL",
        help="web viewer the QR code opens (default: $ZACVIZ_VIEWER_URL, the site's viewer_url)",
    )
    p.add_argument("--no-pictures", action="store_true", help="leave out the plan and 3D pictures")
    _lang_option(p)


@command("report", "write the printable A4 project sheet (PDF)")(_configure_report)
def run_report(args: argparse.Namespace) -> int:
    from zacviz.export.report import build_report, write_report_pdf

    _set_language(args)
    if not args.no_pictures:
        # The 3D picture needs OpenGL; the rerun reads the project itself.
        rerun = _rerun_on_virtual_screen(args)
        if rerun is not None:
            return rerun
    project, site = load_project_and_site(args.project, args.site)
    renderer = None
    result = None
    if not args.no_pictures:
        from zacviz.ui.application import offscreen_if_headless
        from zacviz.ui.report_pictures import qt_renderer

        offscreen_if_headless()  # no screen: the plan still draws, the sheet says 3D is missing
        from zacviz.rules.engine import check_project

        result = check_project(project, site, numpy_union=True)  # once, for the sheet and its pictures
        renderer = qt_renderer(project, site, result)
    data = build_report(project, site, renderer=renderer, viewer_url=args.viewer_url, result=result)
    out = write_report_pdf(data, args.out)
    for _view, why in data.missing_pictures:
        print(f"note: {why}", file=sys.stderr)
    print(f"ok: {out}")
    return EXIT_OK


# ----------------------------------------------------------------- export


def _configure_export(p: argparse.ArgumentParser) -> None:
    from zacviz.export.architect import EXPORTERS

    p.add_argument("project", help="project file (*.zacviz.json)")
    p.add_argument("--format", required=True, choices=tuple(EXPORTERS), help="file format")
    p.add_argument("--out", metavar="FILE", required=True, help="the file to write")
    p.add_argument("--site", metavar="DIR", help="site folder (default: the bundled site the project names)")


@command("export", "write the project for an architect (GLB, GeoJSON, CityJSON)")(_configure_export)
def run_export(args: argparse.Namespace) -> int:
    from zacviz.export.architect import export_project

    project, site = load_project_and_site(args.project, args.site)
    out = export_project(args.format, project, site, args.out)
    print(f"ok: {out}")
    return EXIT_OK


# ------------------------------------------------------------------ kiosk


def _configure_kiosk(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="kiosk configuration (default: kiosk/kiosk.toml)")
    p.add_argument(
        "--windowed", action="store_true", help="a 1920×1080 window instead of full screen (for setting up)"
    )
    p.add_argument(
        "--hash-pin", action="store_true", help="ask for an admin PIN and print its admin_pin_hash line"
    )


@command("kiosk", "the fullscreen touch kiosk for trade fairs")(_configure_kiosk)
def run_kiosk(args: argparse.Namespace) -> int:
    if args.hash_pin:
        from zacviz.kiosk.config import hash_pin, read_new_pin

        print(f'admin_pin_hash = "{hash_pin(read_new_pin())}"')
        return EXIT_OK
    from zacviz.app import run_kiosk as run

    return run(args.config, windowed=args.windowed)


# ----------------------------------------------------------- validate-site


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="site folder (holding site.toml)")


@command("validate-site", "check a site folder's data")(_configure_validate)
def run_validate_site(args: argparse.Namespace) -> int:
    from zacviz.io.site_folder import validate_site

    report = validate_site(args.dir)
    site = report.site
    assert site is not None
    counts = f"{len(site.lots)} lots, {len(site.roads)} roads, {len(site.context)} existing buildings"
    for note in report.notes:
        print(f"note: {note}")
    if report.problems:
        for problem in report.problems:
            print(f"problem: {problem}")
        more = f" (and {len(report.problems) - 1} more, listed above)" if len(report.problems) > 1 else ""
        print(f"error: site {site.id}: {report.problems[0]}{more}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"ok: site {site.id} ({site.name}): {counts}")
    return EXIT_OK


# ------------------------------------------------------------ import-ortho


def _configure_import_ortho(p: argparse.ArgumentParser) -> None:
    p.add_argument("tiles", nargs="+", metavar="TILE", help="GeoTIFF or JPEG 2000 tiles, any CRS")
    p.add_argument("--site", metavar="DIR", required=True, help="site folder whose imagery to replace")
    p.add_argument(
        "--margin", type=float, default=150.0, metavar="M", help="margin around the site, metres (150)"
    )
    p.add_argument(
        "--resolution", type=float, default=None, metavar="M", help="metres per pixel (default: the tiles')"
    )


@command("import-ortho", "turn aerial tiles into the site's imagery")(_configure_import_ortho)
def run_import_ortho(args: argparse.Namespace) -> int:
    from zacviz.errors import InputError
    from zacviz.io.ortho_import import import_ortho
    from zacviz.io.site_folder import SITE_FILE, load_site

    site = load_site(args.site)
    if site.imagery_path is None:
        raise InputError(f"{SITE_FILE}: site.imagery: not set; say where the image goes")
    if args.margin < 0 or (args.resolution is not None and not args.resolution > 0):
        raise UsageError("--margin must be ≥ 0 and --resolution > 0")
    site.imagery_path.parent.mkdir(parents=True, exist_ok=True)
    bar = ProgressBar(sys.stderr)
    report = import_ortho(
        args.tiles,
        site.imagery_path,
        crs=site.crs,
        bounds=site.bounds,
        margin_m=args.margin,
        resolution_m=args.resolution,
        progress=bar,
    )
    bar.done()
    for skipped in report.tiles_skipped:
        print(f"note: {skipped.name} does not cover the site; skipped")
    print(
        f"ok: {report.out_path} — {report.width}×{report.height} px at {report.resolution:g} m/px "
        f"from {report.tiles_used} tile(s)"
    )
    return EXIT_OK


# ------------------------------------------------ lots, zones (data commands)


def _configure_lots(p: argparse.ArgumentParser) -> None:
    from zacviz.data_commands import configure_lots

    configure_lots(p)


@command("lots", "import or export the lots (CNIG TERRAIN-ECO, Etalab cadastre)")(_configure_lots)
def run_lots(args: argparse.Namespace) -> int:
    from zacviz.data_commands import run_lots as run

    _set_language(args)
    return run(args)


def _configure_zones(p: argparse.ArgumentParser) -> None:
    from zacviz.data_commands import configure_zones

    configure_zones(p)


@command("zones", "give each lot its PLU zone (CNIG zone_urba)")(_configure_zones)
def run_zones(args: argparse.Namespace) -> int:
    from zacviz.data_commands import run_zones as run

    _set_language(args)
    return run(args)


# ------------------------------------------------------------- export-web


def _configure_export_web(p: argparse.ArgumentParser) -> None:
    p.add_argument("projects", nargs="*", metavar="PROJECT", help="project files (none: the park showcase)")
    p.add_argument("--out", metavar="DIR", required=True, help="folder to write the web page into")
    p.add_argument("--site", metavar="DIR", help="site folder (default: the bundled site the projects name)")


@command("export-web", "write the static web page of the park or of projects")(_configure_export_web)
def run_export_web(args: argparse.Namespace) -> int:
    from zacviz.errors import InputError
    from zacviz.export.web import write_web_export
    from zacviz.io.project_file import load_project
    from zacviz.io.site_folder import find_site, load_site
    from zacviz.rules.engine import resolve_lot

    projects = [load_project(path) for path in args.projects]
    site_ids = sorted({p.site for p in projects})
    if args.site is None and len(site_ids) > 1:
        raise InputError(f"the projects are for different sites ({', '.join(site_ids)}); export them apart")
    if args.site is not None:
        folder = args.site
    else:
        folder = find_site(site_ids[0] if site_ids else "belle-assise")  # the bundled park
    site = load_site(folder)
    for path, project in zip(args.projects, projects):
        try:
            resolve_lot(project, site)
        except InputError as exc:
            raise InputError(f"{path}: {exc.message}") from None
        if project.site != site.id:
            print(f"warning: {path} is for site {project.site!r}, shown on site {site.id!r}", file=sys.stderr)
    bar = ProgressBar(sys.stderr)
    export = write_web_export(site, projects, args.out, progress=bar)
    bar.done()
    size = export.total_bytes / 1e6
    print(f"ok: {export.index} ({len(projects)} project(s), {size:.1f} MB)")
    return EXIT_OK


class ProgressBar:
    """A one-line text progress bar for long commands (stderr, only on a terminal)."""

    def __init__(self, stream, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._last = -1

    def __call__(self, fraction: float, label: str = "") -> None:
        pct = int(max(0.0, min(1.0, fraction)) * 100)
        if pct == self._last:
            return
        self._last = pct
        filled = self.width * pct // 100
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {pct:3d}% {label}"
        if self.tty:
            self.stream.write("\r" + line[:79].ljust(79))
        elif pct % 10 == 0:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# ------------------------------------------------------------------ main


_TOP_LEVEL = ("-h", "--help", "--version")
_EDITOR_USAGE = "zacviz [PROJECT] [--site DIR] [--lang fr|en]"


def _editor_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", nargs="?", help="project file (*.zacviz.json) to open")
    parser.add_argument(
        "--site", metavar="DIR", help="site folder (default: the project's, else the bundled site)"
    )
    parser.add_argument("--lang", choices=("fr", "en"), default=None, help="interface language")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``only`` builds just that sub-command's (faster)."""
    from zacviz import __version__

    parser = _Parser(
        prog="zacviz",
        usage=f"{_EDITOR_USAGE}\n       zacviz COMMAND [options]",
        description="Prepare a building project on a business-park lot and check it against its rules.\n\n"
        f"{_EDITOR_USAGE} starts the desktop editor:\n"
        "  PROJECT      project file (*.zacviz.json) to open\n"
        "  --site DIR   site folder (default: the project's, else the bundled site)\n"
        "  --lang fr|en interface language",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"zacviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser, prog="zacviz")
    for cmd in COMMANDS.values():
        if only is not None and cmd.name != only:
            continue
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
        p.set_defaults(_run=cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``zacviz`` command; returns the exit status."""
    from zacviz.errors import InputError

    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in _TOP_LEVEL):
            return _run_editor(args_list)
        only = args_list[0] if args_list[0] in COMMANDS else None
        args = build_parser(only).parse_args(args_list)
        args._argv = args_list
        if getattr(args, "_run", None) is None:
            return _run_editor([])
        return int(args._run(args))
    except InputError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: still one line, the trace only on demand
        import os

        if os.environ.get("ZACVIZ_DEBUG"):
            raise
        print(
            f"error: internal error ({type(exc).__name__}: {exc}); rerun with ZACVIZ_DEBUG=1 for details",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


def _rerun_on_virtual_screen(args: argparse.Namespace) -> int | None:
    """On a machine with no screen, run this same command again on a private
    Xvfb (3D pictures need OpenGL, which Qt's offscreen platform lacks) and
    return its exit status; None where there is a screen, no Xvfb, or this is
    already the rerun. The child process ends, and Qt with it, before the
    virtual screen stops."""
    import os
    import shutil
    import subprocess

    from zacviz.ui.virtual_screen import has_screen, virtual_screen

    if has_screen() or os.environ.get("ZACVIZ_VIRTUAL_SCREEN") or shutil.which("Xvfb") is None:
        return None
    from zacviz.errors import InputError

    try:
        with virtual_screen():
            env = dict(os.environ, ZACVIZ_VIRTUAL_SCREEN="1")
            # A frozen build is its own interpreter: no "-m zacviz" there.
            me = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "zacviz"]
            return subprocess.call([*me, *args._argv], env=env)
    except RuntimeError as exc:
        raise InputError(str(exc)) from None


def _run_editor(argv: list[str]) -> int:
    """``zacviz [PROJECT] [--site DIR] [--lang fr|en]``: the desktop editor,
    through the composition root; unknown options are refused."""
    parser = _Parser(prog="zacviz", usage=_EDITOR_USAGE, description="the zacviz desktop editor")
    _editor_arguments(parser)
    args = parser.parse_args(argv)
    if args.site is not None and not Path(args.site).is_dir():
        raise UsageError(f"--site: folder {args.site} does not exist")
    from zacviz.app import run_editor

    return run_editor(args.project, args.site, args.lang)
