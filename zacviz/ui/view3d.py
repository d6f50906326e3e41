"""The 3D view: the aerial image on the ground, the lots, the park's existing
buildings, the project's volumes lit by the sun, and their shadows.

Everything is drawn by two small GL items of our own (:class:`SceneMesh` for
triangles, :class:`GroundImage` for the textured ground) rather than
pyqtgraph's stock items: those cache their shader programs once per process,
which breaks as soon as a second GL context appears (a kiosk and an editor
window, an offscreen render next to the editor). Ours compile per context.

The scene is in scene coordinates (site CRS minus :func:`scene_origin`), so
float32 buffers keep centimetres. Geometry comes from the Qt-free
:mod:`zacviz.geometry` modules and is cached there by (immutable) building, so
:meth:`View3D.set_project` after an edit only builds the changed volume and
re-uploads one merged buffer.

The scene, its cameras, picking and input live in one class drawn by two
surfaces: :class:`View3D`, a widget (the kiosk lays its panels over it;
offscreen renders), and :class:`View3DWindow`, a window of its own that the
editor's pane embeds: it swaps its frames straight to the screen, where a GL
widget's frame is composed with the rest of its window first (on software
OpenGL, more than the frame itself).

Ground layers (image, lot outlines, shadows) are drawn first without depth
test, in order; volumes then draw over them with depth test, so a shadow is
hidden behind a building without fighting the ground for depth. The plain
ground and the aerial images are kept in a :class:`GroundCache` while the
camera rests: an edit or a sun step redraws only what lies over them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from OpenGL import GL
from pyqtgraph.opengl.GLGraphicsItem import GLGraphicsItem
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6 import QtCore, QtGui, QtOpenGL, QtOpenGLWidgets, QtWidgets
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from zacviz.geometry import palette
from zacviz.geometry.footprint import footprint_polygon
from zacviz.geometry.lot import lot_geometry, scene_origin
from zacviz.geometry.parking import stall_layout, stall_lines_drawn
from zacviz.geometry.shadows import projected_triangles
from zacviz.geometry.sun import SunPosition, sun_at_site
from zacviz.geometry.volumes import (
    ROOF,
    context_meshes,
    flat_triangles,
    make_building_mesh,
)
from zacviz.model.project import Building, Project, Surface
from zacviz.model.site import Lot, Site

MAX_TEXTURE_PX = 2048
"""Long side of a ground texture: bounded for GPU memory (16 MB RGBA). There are
two at most: the whole site, and the project's lot and its surroundings in
finer detail for the close views (lot, pedestrian)."""
DETAIL_MARGIN_M = 90.0
GROUND_MARGIN_M = 150.0
OUTLINE_WIDTH_M = 0.9
DEFAULT_TIMEZONE = "Europe/Paris"
MIN_CAMERA_ELEVATION_DEG = 1.0

# ------------------------------------------------------------------ shaders

_MESH_VS = """
uniform mat4 u_mvp;
uniform vec3 u_light;
uniform vec3 u_lighting;  // ambient, diffuse, lit (0 or 1)
attribute vec3 a_position;
attribute vec3 a_normal;
attribute vec4 a_color;
varying vec4 v_color;
void main() {
    vec3 n = normalize(a_normal);
    // Sky light from above (roofs brighter than walls) plus the sun's diffuse term.
    float sky = u_lighting.x * (0.78 + 0.22 * n.z);
    float sun = u_lighting.y * max(dot(n, u_light), 0.0);
    float k = mix(1.0, sky + sun, u_lighting.z);
    v_color = vec4(a_color.rgb * k, a_color.a);
    gl_Position = u_mvp * vec4(a_position, 1.0);
}
"""
_MESH_FS = """
varying vec4 v_color;
void main() {
    gl_FragColor = v_color;
}
"""
_IMAGE_VS = """
uniform mat4 u_mvp;
attribute vec3 a_position;
attribute vec2 a_texcoord;
varying vec2 v_texcoord;
void main() {
    v_texcoord = a_texcoord;
    gl_Position = u_mvp * vec4(a_position, 1.0);
}
"""
_IMAGE_FS = """
uniform sampler2D u_texture;
uniform float u_brightness;
varying vec2 v_texcoord;
void main() {
    vec4 c = texture2D(u_texture, v_texcoord);
    gl_FragColor = vec4(c.rgb * u_brightness, 1.0);
}
"""


def _sources(vs: str, fs: str, ctx: QtGui.QOpenGLContext) -> tuple[str, str]:
    """The shader sources for this context's GLSL dialect (desktop legacy, core, ES)."""
    fmt = ctx.format()
    if ctx.isOpenGLES():
        return "#version 100\n" + vs, "#version 100\nprecision mediump float;\n" + fs
    if fmt.profile() == QtGui.QSurfaceFormat.OpenGLContextProfile.CoreProfile:
        head_vs = "#version 150\n#define attribute in\n#define varying out\n"
        head_fs = (
            "#version 150\n#define varying in\n#define texture2D texture\n"
            "out vec4 fragColor;\n#define gl_FragColor fragColor\n"
        )
        return head_vs + vs, head_fs + fs
    return "#version 120\n" + vs, "#version 120\n" + fs


class _PerContext:
    """A shader program and buffers that belong to one GL context.

    A QOpenGLWidget gets a new context when it moves to another window (the
    editor docking the view); everything is rebuilt then.
    """

    def __init__(self, vs: str, fs: str, attributes: dict[str, int]) -> None:
        self.vs, self.fs, self.attributes = vs, fs, attributes
        self.ctx: QtGui.QOpenGLContext | None = None
        self.program: QtOpenGL.QOpenGLShaderProgram | None = None

    def ensure(self) -> bool:
        """True when the program was (re)built for the current context."""
        ctx = QtGui.QOpenGLContext.currentContext()
        if self.program is not None and ctx is self.ctx:
            return False
        vs, fs = _sources(self.vs, self.fs, ctx)
        program = QtOpenGL.QOpenGLShaderProgram()
        program.addShaderFromSourceCode(QtOpenGL.QOpenGLShader.ShaderTypeBit.Vertex, vs)
        program.addShaderFromSourceCode(QtOpenGL.QOpenGLShader.ShaderTypeBit.Fragment, fs)
        for name, loc in self.attributes.items():
            program.bindAttributeLocation(name, loc)
        if not program.link():
            raise RuntimeError(f"3D view: shader link failed: {program.log()}")
        self.ctx, self.program = ctx, program
        return True


def _mvp(item: GLGraphicsItem) -> np.ndarray:
    return np.array(item.mvpMatrix().data(), dtype=np.float32)


# Position (float32 ×3), normal (int8 ×4, the 4th padding, read as −1..1),
# colour (uint8 ×4, read as 0..1): size, GL type, normalised.
_VERTEX_LAYOUT = ((3, GL.GL_FLOAT, False), (3, GL.GL_BYTE, True), (4, GL.GL_UNSIGNED_BYTE, True))


def rgba8(colors) -> np.ndarray:
    """Colours as bytes (0..255): floats in 0..1 are scaled, bytes kept."""
    c = np.asarray(colors)
    if c.dtype == np.uint8:
        return c
    return np.round(np.clip(c, 0.0, 1.0) * 255.0).astype(np.uint8)


def pack_normals(normals: np.ndarray) -> np.ndarray:
    """Unit normals (m, 3) as (m, 4) int8 (×127, the 4th byte padding): a
    quarter of float32's bytes, to 1/127 (invisible in the lighting)."""
    n = np.asarray(normals, dtype=np.float32).reshape(-1, 3)
    out = np.zeros((len(n), 4), dtype=np.int8)
    out[:, :3] = np.round(np.clip(n, -1.0, 1.0) * 127.0)
    return out


def unpack_normals(packed: np.ndarray) -> np.ndarray:
    """:func:`pack_normals` back to float32 (m, 3)."""
    return packed[:, :3].astype(np.float32) / np.float32(127.0)


def _unit_normals(tris: np.ndarray) -> np.ndarray:
    """Per-face unit normals (n, 3) float32 by the right-hand rule; zero for a face without area."""
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    length = np.linalg.norm(n, axis=1, keepdims=True)
    return np.divide(n, length, out=np.zeros_like(n), where=length > 0)


def _vertex_normals(normals, faces: int) -> np.ndarray | tuple[float, ...]:
    n = np.asarray(normals)
    if n.shape == (3,):
        return (float(n[0]), float(n[1]), float(n[2]), 0.0)
    if n.dtype == np.int8 and n.ndim == 2 and n.shape[1] == 4:
        packed = n
    else:
        packed = pack_normals(n)
    if len(packed) == faces and faces:
        packed = np.repeat(packed, 3, axis=0)
    if len(packed) != 3 * faces:
        raise ValueError(f"normals: {len(packed)} rows for {faces} triangles")
    return np.ascontiguousarray(packed)


def _vertex_colors(colors, faces: int) -> np.ndarray | tuple[float, ...]:
    c = np.asarray(colors)
    if c.shape == (4,):
        f = c.astype(np.float64) / (255.0 if c.dtype == np.uint8 else 1.0)
        return tuple(float(v) for v in f)
    c = rgba8(c).reshape(-1, 4)
    if len(c) == faces and faces:
        c = np.repeat(c, 3, axis=0)
    if len(c) != 3 * faces:
        raise ValueError(f"colors: {len(c)} rows for {faces} triangles")
    return np.ascontiguousarray(c)


class SceneMesh(GLGraphicsItem):
    """Triangles with per-vertex colour and normal, optionally lit by the sun.

    ``mode``: ``"opaque"`` (depth test and write), ``"ground"`` (drawn over
    what is there, no depth: for layers lying on the ground), ``"ground_once"``
    (the same, but each pixel blended once however many triangles overlap it,
    through the stencil: shadows that overlap do not darken twice),
    ``"ground_top"`` (opaque layers on the ground in painter's order, see
    :meth:`set_layers`: drawn from the last to the first, each pixel written
    once by the last layer covering it) or ``"translucent"`` (blended once
    over the nearest surface: a depth-only pass, then colour where depth is
    equal).
    """

    def __init__(
        self,
        *,
        lit: bool = True,
        mode: str = "opaque",
        lighting: Lighting | None = None,
        closed: bool = False,
    ) -> None:
        super().__init__()
        self.lit = lit
        self.closed = closed
        """Closed volumes whose faces are wound outwards (right-hand rule): the
        faces turned away from the camera are hidden by the others and are
        not drawn (half the walls: software OpenGL pays for every triangle)."""
        self.mode = mode
        self.lighting = lighting or Lighting()
        self._gl = _PerContext(_MESH_VS, _MESH_FS, {"a_position": 0, "a_normal": 1, "a_color": 2})
        self._buffers: list[QtOpenGL.QOpenGLBuffer] = []
        self._count = 0
        self._data: tuple | None = None
        # Per attribute: the stride of its buffer, or its value for every vertex.
        self._layout: tuple[int | tuple[float, ...], ...] = ()
        self.keep_data = True
        """False: the arrays are let go once uploaded (a one-shot picture: in
        software OpenGL the driver holds its own copy, in the same memory)."""
        self._dirty = True
        self.version = 0
        """Bumped by every change of what the item draws (the ground cache's key)."""
        self.from_cache = False
        """Set by the view while the item's pixels come from its ground cache."""
        self._layer_starts: np.ndarray | None = None

    def set_layers(self, starts) -> None:
        """``"ground_top"``: the triangles come as layers in painter's order,
        layer ``k`` from triangle ``starts[k]``; a layer's triangles do not
        overlap one another (or only in one colour), a later layer covers the
        earlier ones, and every colour is opaque. Call after
        :meth:`set_triangles`.

        With a stencil buffer the layers are drawn from the last to the first
        and each pixel is written once, by the last layer that covers it: the
        picture of drawing them in order, without paying for the pixels that
        the layers above cover (1,000 car parks stacked on one spot were a
        thousand layers of the same pixels, seconds of software OpenGL).
        """
        starts = np.unique(np.asarray(starts, dtype=np.int64))
        # The first layer from 0; empty layers go.
        self._layer_starts = np.r_[0, starts[(starts > 0) & (starts < self.triangle_count)]]

    def set_triangles(self, triangles: np.ndarray, colors, normals=None) -> None:
        """``triangles`` (n, 3, 3).

        ``colors``: one RGBA for every vertex, (n, 4) per face or (n, 3, 4) per
        vertex, floats in 0..1 or bytes (:func:`rgba8`). ``normals``: None (from
        the faces), one (3,) for every vertex, (n, 3) per face, (3n, 3) per
        vertex, or already packed by :func:`pack_normals` ((3n, 4) int8).

        A vertex takes 20 bytes here and in the GL buffers: float32 position,
        normal in bytes, colour in bytes (floats took 40); one value for every
        vertex is a constant attribute and takes none.
        """
        tris = np.ascontiguousarray(triangles, dtype=np.float32).reshape(-1, 3)
        faces = len(tris) // 3
        if normals is None:
            normals = _unit_normals(tris.reshape(-1, 3, 3))
        self._data = (tris, _vertex_normals(normals, faces), _vertex_colors(colors, faces))
        self._layout = tuple(a.strides[0] if isinstance(a, np.ndarray) else a for a in self._data)
        self._count = len(tris)
        self._layer_starts = None
        self._dirty = True
        self.version += 1
        self.update()

    @property
    def triangle_count(self) -> int:
        return self._count // 3

    @property
    def vertex_data(self) -> tuple[np.ndarray, np.ndarray | tuple, np.ndarray | tuple] | None:
        """(positions (3n, 3) float32, normals, colours) as uploaded: packed
        arrays, or one tuple for every vertex; None once given up (``keep_data``)."""
        return self._data

    def let_go_of_arrays(self) -> None:
        """Keep no arrays once they are in GL (now, if they already are)."""
        self.keep_data = False
        if not self._dirty:
            self._data = None

    def _upload(self) -> None:
        assert self._data is not None
        if not self._buffers:
            self._buffers = [
                QtOpenGL.QOpenGLBuffer(QtOpenGL.QOpenGLBuffer.Type.VertexBuffer) for _ in range(3)
            ]
        for buf, arr in zip(self._buffers, self._data):
            if not isinstance(arr, np.ndarray):
                continue  # a constant attribute: no buffer
            if not buf.isCreated():
                buf.create()
            buf.bind()
            # Straight from the array (QOpenGLBuffer.allocate wants bytes: a copy).
            GL.glBufferData(GL.GL_ARRAY_BUFFER, arr.nbytes, arr, GL.GL_STATIC_DRAW)
            buf.release()
        self._dirty = False
        if not self.keep_data:
            self._data = None

    def _bind_attributes(self) -> None:
        for loc, (value, buf, (size, kind, normalized)) in enumerate(
            zip(self._layout, self._buffers, _VERTEX_LAYOUT)
        ):
            if isinstance(value, int):
                buf.bind()
                GL.glEnableVertexAttribArray(loc)
                GL.glVertexAttribPointer(loc, size, kind, normalized, value, None)
                buf.release()
            else:
                GL.glDisableVertexAttribArray(loc)
                GL.glVertexAttrib4f(loc, *value)

    def paint(self) -> None:
        if not self._count or self.from_cache:
            return
        if self._gl.ensure():
            self._buffers = []
            self._dirty = True
        if self._dirty:
            if self._data is None:
                return  # given up after its upload, in another context
            self._upload()
        program = self._gl.program
        assert program is not None
        program.bind()
        try:
            GL.glUniformMatrix4fv(program.uniformLocation("u_mvp"), 1, False, _mvp(self))
            light = self.lighting
            GL.glUniform3f(program.uniformLocation("u_light"), *light.direction)
            GL.glUniform3f(
                program.uniformLocation("u_lighting"), light.ambient, light.diffuse, 1.0 if self.lit else 0.0
            )
            self._bind_attributes()
            if self.closed:
                GL.glEnable(GL.GL_CULL_FACE)
                GL.glCullFace(GL.GL_BACK)
                GL.glFrontFace(GL.GL_CCW)
            else:
                GL.glDisable(GL.GL_CULL_FACE)
            if self.mode in ("ground", "ground_once", "ground_top"):
                GL.glDisable(GL.GL_DEPTH_TEST)
                GL.glEnable(GL.GL_BLEND)
                GL.glBlendFunc(GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)
                if self.mode == "ground_top" and self._layer_starts is not None and _has_stencil():
                    self._draw_top_layer_first()
                elif self.mode == "ground_once":
                    # The stencil was cleared with the depth buffer (View3D.paint).
                    # Its low bits count the blends; the top bit is ground_top's.
                    GL.glEnable(GL.GL_STENCIL_TEST)
                    GL.glStencilMask(_STENCIL_ONCE)
                    GL.glStencilFunc(GL.GL_EQUAL, 0, _STENCIL_ONCE)
                    GL.glStencilOp(GL.GL_KEEP, GL.GL_KEEP, GL.GL_INCR)
                    GL.glDrawArrays(GL.GL_TRIANGLES, 0, self._count)
                    GL.glStencilMask(0xFF)
                    GL.glDisable(GL.GL_STENCIL_TEST)
                else:
                    GL.glDrawArrays(GL.GL_TRIANGLES, 0, self._count)
            elif self.mode == "translucent":
                GL.glEnable(GL.GL_DEPTH_TEST)
                GL.glDepthFunc(GL.GL_LESS)
                GL.glColorMask(False, False, False, False)
                GL.glDrawArrays(GL.GL_TRIANGLES, 0, self._count)
                GL.glColorMask(True, True, True, True)
                GL.glDepthFunc(GL.GL_LEQUAL)
                GL.glDepthMask(False)
                GL.glEnable(GL.GL_BLEND)
                GL.glBlendFunc(GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)
                GL.glDrawArrays(GL.GL_TRIANGLES, 0, self._count)
                GL.glDepthMask(True)
                GL.glDepthFunc(GL.GL_LESS)
            else:
                GL.glEnable(GL.GL_DEPTH_TEST)
                GL.glDepthFunc(GL.GL_LESS)
                GL.glDisable(GL.GL_BLEND)
                GL.glDrawArrays(GL.GL_TRIANGLES, 0, self._count)
            for loc in range(3):
                GL.glDisableVertexAttribArray(loc)
        finally:
            program.release()

    def _draw_top_layer_first(self) -> None:
        """The layers from the last to the first, each pixel written by the
        first of them to reach it (the stencil's top bit marks it taken)."""
        assert self._layer_starts is not None
        GL.glEnable(GL.GL_STENCIL_TEST)
        GL.glStencilMask(_STENCIL_TOP)
        GL.glStencilFunc(GL.GL_NOTEQUAL, _STENCIL_TOP, _STENCIL_TOP)
        GL.glStencilOp(GL.GL_KEEP, GL.GL_KEEP, GL.GL_REPLACE)
        ends = np.r_[self._layer_starts[1:], self.triangle_count]
        for start, end in zip(self._layer_starts[::-1].tolist(), ends[::-1].tolist()):
            if end > start:
                GL.glDrawArrays(GL.GL_TRIANGLES, 3 * start, 3 * (end - start))
        GL.glStencilMask(0xFF)
        GL.glDisable(GL.GL_STENCIL_TEST)


# The stencil's bits: the top one for ground_top (a pixel taken), the others
# for ground_once (a pixel blended).
_STENCIL_TOP = 0x80
_STENCIL_ONCE = 0x7F


def _has_stencil() -> bool:
    """Whether the framebuffer drawn into has a stencil (pyqtgraph's tiled
    renderToArray has none: there ground_top draws its layers in order)."""
    try:
        return int(GL.glGetIntegerv(GL.GL_STENCIL_BITS)) > 0
    except GL.GLError:  # a core profile: Qt's framebuffers here all have one
        return True


class GroundImage(GLGraphicsItem):
    """A georeferenced RGB image lying on the ground (z = 0), drawn without depth."""

    def __init__(self) -> None:
        super().__init__()
        self._gl = _PerContext(_IMAGE_VS, _IMAGE_FS, {"a_position": 0, "a_texcoord": 1})
        self._pixels: np.ndarray | None = None
        self._shape: tuple[int, int] | None = None
        self._source: Callable[[], np.ndarray] | None = None
        self._quad: np.ndarray | None = None
        self._texture: int | None = None
        self._vbo: QtOpenGL.QOpenGLBuffer | None = None
        self._dirty = True
        self.brightness = 1.0
        self.version = 0
        self.from_cache = False

    def set_image(
        self,
        pixels: np.ndarray,
        bounds: tuple[float, float, float, float],
        source: Callable[[], np.ndarray] | None = None,
    ) -> None:
        """``pixels`` rows × cols × 3 (or 4) uint8, north up, covering scene ``bounds``.

        ``source``: reads the same pixels again. With one, the pixels are not
        kept once uploaded (the GL driver has its own copy); a new GL context
        (the pane moved to another window) reads them again."""
        x0, y0, x1, y1 = bounds
        # RGB, not RGBA: the ground is opaque, and the copy until the upload is a quarter smaller.
        self._pixels = np.ascontiguousarray(pixels[..., :3], dtype=np.uint8)
        self._shape = self._pixels.shape[:2]
        self._source = source
        # x, y, z, s, t — row 0 of the image is the north edge (t = 0).
        self._quad = np.array(
            [
                [x0, y1, 0, 0, 0],
                [x1, y1, 0, 1, 0],
                [x0, y0, 0, 0, 1],
                [x1, y0, 0, 1, 1],
            ],
            dtype=np.float32,
        )
        self._dirty = True
        self.version += 1
        self.update()

    @property
    def texture_shape(self) -> tuple[int, int] | None:
        return self._shape

    @property
    def holds_pixels(self) -> bool:
        """Whether a CPU copy of the texture is kept (until its upload, or without a source)."""
        return self._pixels is not None

    def _upload(self) -> bool:
        assert self._quad is not None
        pixels = self._pixels
        if pixels is None and self._source is not None:
            try:
                pixels = np.ascontiguousarray(self._source()[..., :3], dtype=np.uint8)
            except Exception:  # the image is gone since: plain ground, never a broken view
                pixels = None
        if pixels is None or pixels.shape[:2] != self._shape:
            return False
        if self._texture is None:
            self._texture = int(GL.glGenTextures(1))
        GL.glBindTexture(GL.GL_TEXTURE_2D, self._texture)
        GL.glPixelStorei(GL.GL_UNPACK_ALIGNMENT, 1)
        h, w = pixels.shape[:2]
        GL.glTexImage2D(GL.GL_TEXTURE_2D, 0, GL.GL_RGB, w, h, 0, GL.GL_RGB, GL.GL_UNSIGNED_BYTE, pixels)
        GL.glGenerateMipmap(GL.GL_TEXTURE_2D)
        # Bilinear within the nearest mip level: trilinear costs software GL a third more.
        GL.glTexParameteri(GL.GL_TEXTURE_2D, GL.GL_TEXTURE_MIN_FILTER, GL.GL_LINEAR_MIPMAP_NEAREST)
        GL.glTexParameteri(GL.GL_TEXTURE_2D, GL.GL_TEXTURE_MAG_FILTER, GL.GL_LINEAR)
        GL.glTexParameteri(GL.GL_TEXTURE_2D, GL.GL_TEXTURE_WRAP_S, GL.GL_CLAMP_TO_EDGE)
        GL.glTexParameteri(GL.GL_TEXTURE_2D, GL.GL_TEXTURE_WRAP_T, GL.GL_CLAMP_TO_EDGE)
        GL.glBindTexture(GL.GL_TEXTURE_2D, 0)
        if self._vbo is None:
            self._vbo = QtOpenGL.QOpenGLBuffer(QtOpenGL.QOpenGLBuffer.Type.VertexBuffer)
            self._vbo.create()
        self._vbo.bind()
        self._vbo.allocate(self._quad.tobytes(), self._quad.nbytes)
        self._vbo.release()
        self._dirty = False
        self._pixels = None if self._source is not None else pixels
        return True

    def paint(self) -> None:
        if self._shape is None or self.from_cache:
            return
        if self._gl.ensure():
            self._texture, self._vbo, self._dirty = None, None, True
        if self._dirty and not self._upload():
            return
        program = self._gl.program
        assert program is not None and self._vbo is not None
        program.bind()
        try:
            GL.glDisable(GL.GL_DEPTH_TEST)
            GL.glDisable(GL.GL_BLEND)
            GL.glDisable(GL.GL_CULL_FACE)
            GL.glUniformMatrix4fv(program.uniformLocation("u_mvp"), 1, False, _mvp(self))
            GL.glUniform1f(program.uniformLocation("u_brightness"), self.brightness)
            GL.glUniform1i(program.uniformLocation("u_texture"), 0)
            GL.glActiveTexture(GL.GL_TEXTURE0)
            GL.glBindTexture(GL.GL_TEXTURE_2D, self._texture)
            self._vbo.bind()
            GL.glEnableVertexAttribArray(0)
            GL.glEnableVertexAttribArray(1)
            GL.glVertexAttribPointer(0, 3, GL.GL_FLOAT, False, 20, None)
            GL.glVertexAttribPointer(1, 2, GL.GL_FLOAT, False, 20, GL.GLvoidp(12))
            self._vbo.release()
            GL.glDrawArrays(GL.GL_TRIANGLE_STRIP, 0, 4)
            GL.glDisableVertexAttribArray(0)
            GL.glDisableVertexAttribArray(1)
            GL.glBindTexture(GL.GL_TEXTURE_2D, 0)
        finally:
            program.release()


class GroundCache:
    """The ground layers (plain ground, aerial images) drawn once into a
    framebuffer of the view's size, then blitted to the screen while the camera
    stays put.

    On software OpenGL the two aerial textures are most of a frame (each screen
    pixel filtered from a mipmapped texture, the lot's detail over the site's
    image); an edit, the sun or a selection changes none of them, so those
    frames copy the ground (a blit: well under a millisecond) and draw only what
    lies over it. The key is everything the ground's pixels depend on: the
    matrices, the viewport, and each layer's content version, visibility and
    brightness. Without framebuffer blits (OpenGL ES 2) there is no cache.
    """

    def __init__(self) -> None:
        self._fbo: QtOpenGL.QOpenGLFramebufferObject | None = None
        self._ctx: QtGui.QOpenGLContext | None = None
        self.key: tuple | None = None
        self.fills = 0

    @staticmethod
    def supported(widget: QtOpenGL.QOpenGLWidget) -> bool:
        """Blits from a plain framebuffer into the widget's (not multisampled) one."""
        return widget.format().samples() <= 1 and QtOpenGL.QOpenGLFramebufferObject.hasOpenGLFramebufferBlit()

    def fill(self, layers: Iterable[GLGraphicsItem], size: tuple[int, int], color, key: tuple) -> bool:
        """Draw ``layers`` into the cache (the caller's framebuffer and viewport
        are restored); False when no framebuffer could be made."""
        ctx = QtGui.QOpenGLContext.currentContext()
        w, h = size
        if self._fbo is None or ctx is not self._ctx or (self._fbo.width(), self._fbo.height()) != (w, h):
            self._fbo, self.key, self._ctx = None, None, ctx
            fbo = QtOpenGL.QOpenGLFramebufferObject(w, h)
            if not fbo.isValid():
                return False
            self._fbo = fbo
        previous = int(GL.glGetIntegerv(GL.GL_FRAMEBUFFER_BINDING))
        viewport = [int(v) for v in GL.glGetIntegerv(GL.GL_VIEWPORT)]
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, self._fbo.handle())
        try:
            GL.glViewport(0, 0, w, h)
            GL.glClearColor(*color)
            GL.glClear(GL.GL_COLOR_BUFFER_BIT)
            for item in layers:
                item.paint()
        finally:
            GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, previous)
            GL.glViewport(*viewport)
        self.key = key
        self.fills += 1
        return True

    def ready(self, key: tuple) -> bool:
        return (
            self._fbo is not None and self.key == key and self._ctx is QtGui.QOpenGLContext.currentContext()
        )

    def draw(self) -> None:
        """Copy the cached ground into the bound framebuffer, at the same place."""
        assert self._fbo is not None
        w, h = self._fbo.width(), self._fbo.height()
        target = int(GL.glGetIntegerv(GL.GL_FRAMEBUFFER_BINDING))
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, self._fbo.handle())
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, target)
        GL.glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, GL.GL_COLOR_BUFFER_BIT, GL.GL_NEAREST)
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)


class Lighting:
    """The sun as the shaders see it: a direction (scene x = east, y = north, z = up)."""

    def __init__(self) -> None:
        self.direction = (0.3, -0.6, 0.74)
        self.ambient = 0.62
        self.diffuse = 0.5

    def follow(self, sun: SunPosition) -> None:
        e, n, u = sun.direction()
        if sun.elevation_deg > 0:
            self.direction = (e, n, u)
            # Low sun: less direct light, a little more sky, as in the evening.
            strength = min(1.0, sun.elevation_deg / 20.0)
            self.ambient, self.diffuse = 0.72 - 0.15 * strength, 0.5 * strength
        else:
            self.direction = (0.0, 0.0, 1.0)
            self.ambient, self.diffuse = 0.45, 0.0


# ------------------------------------------------------------------ helpers


def _ribbons(geoms: Iterable[BaseGeometry], width: float, origin: tuple[float, float]) -> list[BaseGeometry]:
    """Outlines as thin ground polygons (GL line widths are not portable)."""
    out = []
    for g in geoms:
        g = shapely.transform(g, lambda xy: xy - np.asarray(origin))
        out.append(g.boundary.buffer(width / 2.0, cap_style="flat", join_style="mitre"))
    return out


@lru_cache(maxsize=4096)
def _building_arrays(
    building: Building, origin: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A volume's triangles (n, 3, 3) float32, its per-vertex normals packed
    (:func:`pack_normals`, (3n, 4) int8) and its roof-face mask (n,).

    Built from an uncached mesh: these arrays are the view's cache (the float64
    mesh is three times their size)."""
    mesh = make_building_mesh(building, origin)
    tris = np.ascontiguousarray(mesh.triangles, dtype=np.float32)
    normals = np.repeat(pack_normals(mesh.face_normals), 3, axis=0)
    return tris, normals, mesh.face_attributes["kind"] == ROOF


STALL_LINE_WIDTH_M = 0.16


def stall_line_triangles(stalls: np.ndarray, width: float = STALL_LINE_WIDTH_M) -> np.ndarray:
    """The painted lines of ``stalls`` ((n, 4, 2) corners, scene coordinates)
    as triangles on the ground, (m, 3, 3) facing up: one ``width`` strip along
    every side, a side two stalls share once, each strip running on by half
    the width at both ends so that the strips close their corners.

    In numpy: GEOS's union of the outlines, grown by half the width, took half
    a second for a car park of 2,400 stalls, for the same strips (its corners
    round where these are square, 0.08 m out: less than a pixel).
    """
    if not len(stalls):
        return np.zeros((0, 3, 3))
    corners = np.asarray(stalls, dtype=np.float64)
    a = corners.reshape(-1, 2)
    b = np.roll(corners, -1, axis=1).reshape(-1, 2)
    # A side once, however many stalls share it (either way round, to 1 µm).
    ends = np.round(np.stack([a, b], axis=1) * 1e6).astype(np.int64)
    swap = (ends[:, 0, 0] > ends[:, 1, 0]) | (
        (ends[:, 0, 0] == ends[:, 1, 0]) & (ends[:, 0, 1] > ends[:, 1, 1])
    )
    ends[swap] = ends[swap][:, ::-1]
    _, first = np.unique(ends.reshape(len(ends), 4), axis=0, return_index=True)
    first.sort()
    a, b = a[first], b[first]
    d = b - a
    length = np.hypot(d[:, 0], d[:, 1])
    keep = length > 1e-9
    a, b, d, length = a[keep], b[keep], d[keep], length[keep]
    along = d / length[:, None] * (width / 2.0)
    across = np.column_stack([-along[:, 1], along[:, 0]])  # to the left of a→b
    p0, p1 = a - along - across, b + along - across
    p2, p3 = b + along + across, a - along + across
    quads = np.stack([p0, p1, p2, p0, p2, p3], axis=1).reshape(-1, 3, 2)
    return np.concatenate([quads, np.zeros((len(quads), 3, 1))], axis=2)


@lru_cache(maxsize=1024)
def _surface_arrays(
    surface: Surface, origin: tuple[float, float], lines: bool = True
) -> tuple[np.ndarray, np.ndarray, int]:
    """Triangles and colours of a surface on the ground, and how many of the
    triangles are its paving (its stall lines follow: a parking gets them
    unless ``lines`` is False)."""
    shifted = shapely.transform(footprint_polygon(surface.footprint), lambda xy: xy - np.asarray(origin))
    tris = [flat_triangles(shifted, 0.0)]
    colors = [np.tile(palette.surface_color(surface.kind), (len(tris[0]), 1))]
    if surface.kind == "parking" and lines:
        layout = stall_layout(surface.footprint)
        if layout.count:
            t = stall_line_triangles(layout.stalls - np.asarray(origin))
            tris.append(t)
            colors.append(np.tile(palette.STALL_LINE_COLOR, (len(t), 1)))
    return np.concatenate(tris), np.concatenate(colors), len(tris[0])


def _read_imagery(info, bounds: tuple[float, float, float, float], shape: tuple[int, int]) -> np.ndarray:
    """The aerial image's pixels over ``bounds`` (rows × cols × bands, north up)."""
    from zacviz.io.imagery import Imagery

    imagery = Imagery(info)
    try:
        return imagery.read(bounds, shape)
    finally:
        imagery.close()


def _face_colors(roof: np.ndarray, color: palette.RGBA) -> np.ndarray:
    """Per-vertex colours (3n, 4) in bytes of a volume's ``n`` faces: ``color``
    on the walls, shaded on the faces where ``roof`` is set."""
    wall = np.asarray(color, dtype=np.float64)
    top = wall.copy()
    top[:3] *= palette.ROOF_SHADE
    colors = np.empty((len(roof), 3, 4), dtype=np.uint8)
    colors[:] = rgba8(wall)
    colors[roof] = rgba8(top)
    return colors.reshape(-1, 4)


def default_sun_time(tz: str = DEFAULT_TIMEZONE) -> datetime:
    """A readable default: 21 June this year at 17:00 local time (shadows to the east, 1.4 × h)."""
    now = datetime.now(ZoneInfo(tz))
    return datetime(now.year, 6, 21, 17, 0, tzinfo=ZoneInfo(tz))


# --------------------------------------------------------------------- view


class _SceneView(GLViewMixin):
    """The site in 3D, with a project on it, whatever surface draws it: a widget
    (:class:`View3D`) or a window of its own (:class:`View3DWindow`).

    ``set_project(project, failing_ids, selected_id)`` is cheap: volumes are
    cached by building, the merged buffers are re-uploaded. ``set_sun`` moves
    the light and the shadows.
    """

    sun_changed = QtCore.Signal(object)
    building_clicked = QtCore.Signal(object)  # building id or None (a click, not a drag)

    def __init__(
        self,
        site: Site,
        *qt_args,
        texture_px: int = MAX_TEXTURE_PX,
        detail_px: int = MAX_TEXTURE_PX,
    ):
        super().__init__(*qt_args)
        self.site = site
        self.origin = scene_origin(site)
        self.project: Project | None = None
        self.failing_ids: frozenset[str] = frozenset()
        self.selected_id: str | None = None
        self.sun: SunPosition | None = None
        self.sun_time: datetime | None = None
        self.lighting = Lighting()
        self.last_frame_ms = 0.0  # software GL: the editor paces live previews by it
        self.frames_drawn = 0
        self.last_frame_at = 0.0  # time.perf_counter() when the last frame was drawn
        self.frames_swapped = 0
        self.last_swap_at = 0.0  # time.perf_counter() when the last frame reached the screen
        self.frameSwapped.connect(self._on_frame_swapped)
        self._orbit_timer = QtCore.QTimer(self)
        self._orbit_timer.setInterval(33)
        self._orbit_timer.timeout.connect(lambda: self.orbit(0.4, 0))
        self.setBackgroundColor(tuple(int(c * 255) for c in palette.SKY_COLOR))
        self.opts["fov"] = 45

        self.ground_plane = SceneMesh(lit=False, mode="ground")
        self.ground_image = GroundImage()
        self.ground_detail = GroundImage()
        self.ground_detail.setVisible(False)
        self._imagery_info = None
        self._detail_lot: str | None = None
        self.lot_outlines = SceneMesh(lit=False, mode="ground")
        # Opaque surfaces, each over the ones before it: drawn top layer first.
        self.surfaces_layer = SceneMesh(lit=False, mode="ground_top")
        self.shadow_layer = SceneMesh(lit=False, mode="ground_once")
        self.highlight = SceneMesh(lit=False, mode="ground")
        self.context_layer = SceneMesh(lighting=self.lighting, closed=True)
        self.buildings_layer = SceneMesh(lighting=self.lighting, closed=True)
        self.envelope_layer = SceneMesh(lighting=self.lighting, mode="translucent")
        layers = (
            self.ground_plane,
            self.ground_image,
            self.ground_detail,
            self.surfaces_layer,
            self.shadow_layer,
            self.lot_outlines,
            self.highlight,
            self.context_layer,
            self.buildings_layer,
            self.envelope_layer,
        )
        for depth, item in enumerate(layers):
            item.setDepthValue(depth)
            self.addItem(item)
        # Drawn first, in this order, and kept in a cache while the camera rests.
        self._ground_layers = (self.ground_plane, self.ground_image, self.ground_detail)
        self._ground_cache = GroundCache()
        self._frame_key: tuple | None = None
        self.ground_cache_enabled: bool | None = None
        """None: decided at the first frame (framebuffer blits available)."""
        # After the camera stops, one more frame fills the cache for the edits to come.
        self._settle_timer = QtCore.QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(200)
        self._settle_timer.timeout.connect(self.update)
        # The volumes' triangles (scene coordinates, float32): the shadows are their projection.
        self._context_tris = np.zeros((0, 3, 3), dtype=np.float32)
        self._context_normals = np.zeros((0, 4), dtype=np.int8)  # per face, packed
        self._building_tris = np.zeros((0, 3, 3), dtype=np.float32)
        self._building_normals = np.zeros((0, 4), dtype=np.int8)  # per vertex, packed
        self._one_picture = False
        self._detail_px = detail_px
        self._build_ground(texture_px)
        self._build_lots()
        self._build_context()
        self.set_sun(default_sun_time(self.timezone))
        self.overview()

    # ------------------------------------------------------------ static parts

    @property
    def timezone(self) -> str:
        return str(self.site.settings.get("timezone", DEFAULT_TIMEZONE))

    def to_scene(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.origin[0], y - self.origin[1])

    def _scene_bounds(self, margin: float = 0.0) -> tuple[float, float, float, float]:
        minx, miny, maxx, maxy = self.site.bounds
        ox, oy = self.origin
        return (minx - ox - margin, miny - oy - margin, maxx - ox + margin, maxy - oy + margin)

    def _build_ground(self, texture_px: int) -> None:
        plane = shapely.box(*self._scene_bounds(10 * GROUND_MARGIN_M))
        image_bounds = self._read_ground_image(texture_px)
        if image_bounds is not None:
            # Plain ground only around the image: software GL pays for every pixel drawn twice.
            plane = plane.difference(shapely.box(*image_bounds))
        t = flat_triangles(plane, 0.0)
        self.ground_plane.set_triangles(t, np.tile(palette.GROUND_COLOR, (len(t), 1)))

    def _read_ground_image(self, texture_px: int) -> tuple[float, float, float, float] | None:
        path = self.site.imagery_path
        if path is None or not path.is_file():
            return None
        from zacviz.errors import InputError
        from zacviz.io.imagery import open_imagery

        try:
            info = open_imagery(path)
        except InputError:
            return None  # validate-site reports it; the view shows plain ground
        minx, miny, maxx, maxy = self.site.bounds
        ix0, iy0, ix1, iy1 = info.bounds
        wanted = (
            max(minx - GROUND_MARGIN_M, ix0),
            max(miny - GROUND_MARGIN_M, iy0),
            min(maxx + GROUND_MARGIN_M, ix1),
            min(maxy + GROUND_MARGIN_M, iy1),
        )
        w_m, h_m = wanted[2] - wanted[0], wanted[3] - wanted[1]
        if w_m <= 0 or h_m <= 0:
            return None
        # No finer than the image itself, no larger than the texture budget.
        px_per_m = min(1.0 / info.resolution[0], texture_px / max(w_m, h_m))
        shape = (max(2, round(h_m * px_per_m)), max(2, round(w_m * px_per_m)))
        self._imagery_info = info
        source = partial(_read_imagery, info, wanted, shape)
        ox, oy = self.origin
        scene = (wanted[0] - ox, wanted[1] - oy, wanted[2] - ox, wanted[3] - oy)
        self.ground_image.set_image(source(), scene, source)
        return scene

    def _build_lots(self) -> None:
        tris, colors = [], []
        for lot in self.site.lots:
            ribbon = _ribbons([lot.polygon], OUTLINE_WIDTH_M, self.origin)[0]
            t = flat_triangles(ribbon, 0.0)
            tris.append(t)
            colors.append(np.tile(palette.lot_color(lot.status), (len(t), 1)))
        if tris:
            self.lot_outlines.set_triangles(np.concatenate(tris), np.concatenate(colors))

    def _build_context(self) -> None:
        mesh = context_meshes(self.site, self.origin)
        if len(mesh.faces):
            self._context_tris = np.ascontiguousarray(mesh.triangles, dtype=np.float32)
            self._context_normals = pack_normals(mesh.face_normals)
            self.context_layer.set_triangles(
                self._context_tris,
                _face_colors(mesh.face_attributes["kind"] == ROOF, palette.CONTEXT_BUILDING_COLOR),
                self._context_normals,
            )

    # ------------------------------------------------------------- the project

    def set_project(
        self, project: Project | None, failing_ids: Iterable[str] = (), selected_id: str | None = None
    ) -> None:
        """Show ``project`` (None: the bare site); ``failing_ids`` are tinted red."""
        lot_changed = project is None or self.project is None or project.lot != self.project.lot
        self.project = project
        self.failing_ids = frozenset(failing_ids)
        self.selected_id = selected_id
        self._rebuild_buildings()
        self._rebuild_surfaces()
        self._rebuild_shadows()
        if lot_changed:
            self._rebuild_envelope()
            self._update_ground_detail()

    def set_selected(self, selected_id: str | None) -> None:
        if selected_id != self.selected_id:
            self.selected_id = selected_id
            self._rebuild_buildings()

    def set_failing(self, failing_ids: Iterable[str]) -> None:
        failing = frozenset(failing_ids)
        if failing != self.failing_ids:
            self.failing_ids = failing
            self._rebuild_buildings()

    @property
    def buildings(self) -> tuple[Building, ...]:
        return self.project.buildings if self.project else ()

    def _rebuild_buildings(self) -> None:
        self._check_not_one_picture()
        tris, normals, colors = [], [], []
        highlight = []
        for b in self.buildings:
            t, n, roof = _building_arrays(b, self.origin)
            color = palette.building_color(
                b.use, failing=b.id in self.failing_ids, selected=b.id == self.selected_id
            )
            tris.append(t)
            normals.append(n)
            colors.append(_face_colors(roof, color))
            if b.id == self.selected_id:
                highlight.append(footprint_polygon(b.footprint).buffer(1.2, join_style="mitre"))
        if self.project is not None and self.selected_id is not None:
            surface = next((s for s in self.project.surfaces if s.id == self.selected_id), None)
            if surface is not None:
                highlight.append(footprint_polygon(surface.footprint))
        if tris:
            self._building_tris = np.concatenate(tris)
            self._building_normals = np.concatenate(normals)
            self.buildings_layer.set_triangles(
                self._building_tris, np.concatenate(colors), self._building_normals
            )
        else:
            self._building_tris = np.zeros((0, 3, 3), dtype=np.float32)
            self._building_normals = np.zeros((0, 4), dtype=np.int8)
            self.buildings_layer.set_triangles(self._building_tris, np.zeros((0, 4)))
        ribbons = _ribbons(highlight, 1.4, self.origin)
        t = np.concatenate([flat_triangles(r, 0.0) for r in ribbons]) if ribbons else np.zeros((0, 3, 3))
        self.highlight.set_triangles(t, np.tile(palette.SELECTION_COLOR, (len(t), 1)))

    def _rebuild_surfaces(self) -> None:
        """Parking (with its stall lines), yards and storage as paved ground."""
        surfaces = self.project.surfaces if self.project else ()
        parks = [s for s in surfaces if s.kind == "parking"]
        lines = dict(zip(map(id, parks), stall_lines_drawn([s.footprint for s in parks]), strict=True))
        parts = [_surface_arrays(s, self.origin, lines.get(id(s), False)) for s in surfaces]
        if parts:
            self.surfaces_layer.set_triangles(
                np.concatenate([t for t, _, _ in parts]), np.concatenate([c for _, c, _ in parts])
            )
            # Painter's layers: each surface's paving, then its lines.
            sizes = np.array([(paving, len(t) - paving) for t, _, paving in parts]).ravel()
            self.surfaces_layer.set_layers(np.cumsum(sizes) - sizes)
        else:
            self.surfaces_layer.set_triangles(np.zeros((0, 3, 3)), np.zeros((0, 4)))

    def _update_ground_detail(self) -> None:
        """The aerial image of the project's lot and its surroundings, at up to the
        image's own resolution: the close views stay sharp while the site texture
        stays coarse enough for the whole park."""
        lot = self.site.lot(self.project.lot) if self.project else None
        info = self._imagery_info
        if lot is None or info is None:
            self.ground_detail.setVisible(False)
            self._detail_lot = None
            return
        if lot.id == self._detail_lot:
            self.ground_detail.setVisible(True)
            return
        minx, miny, maxx, maxy = lot.polygon.bounds
        ix0, iy0, ix1, iy1 = info.bounds
        m = DETAIL_MARGIN_M
        wanted = (max(minx - m, ix0), max(miny - m, iy0), min(maxx + m, ix1), min(maxy + m, iy1))
        w_m, h_m = wanted[2] - wanted[0], wanted[3] - wanted[1]
        if w_m <= 0 or h_m <= 0:
            self.ground_detail.setVisible(False)
            return
        px_per_m = min(1.0 / info.resolution[0], self._detail_px / max(w_m, h_m))
        shape = (max(2, round(h_m * px_per_m)), max(2, round(w_m * px_per_m)))
        source = partial(_read_imagery, info, wanted, shape)
        try:
            pixels = source()
        except Exception:  # a bad read keeps the site texture: never a broken view
            self.ground_detail.setVisible(False)
            return
        ox, oy = self.origin
        self.ground_detail.set_image(
            pixels, (wanted[0] - ox, wanted[1] - oy, wanted[2] - ox, wanted[3] - oy), source
        )
        self.ground_detail.setVisible(True)
        self._detail_lot = lot.id

    def _rebuild_envelope(self) -> None:
        lot = self.site.lot(self.project.lot) if self.project else None
        mesh = None
        if lot is not None:
            try:
                from zacviz.geometry.envelope import envelope_mesh
            except ImportError:  # the envelope module is optional
                envelope_mesh = None
            if envelope_mesh is not None:
                mesh = envelope_mesh(self.site, lot)
        if mesh is None or not len(mesh.faces):
            self.envelope_layer.set_triangles(np.zeros((0, 3, 3)), np.zeros((0, 4)))
            return
        tris = mesh.triangles - np.array([self.origin[0], self.origin[1], 0.0])
        self.envelope_layer.set_triangles(
            tris, np.tile(palette.ENVELOPE_COLOR, (len(tris), 1)), np.repeat(mesh.face_normals, 3, axis=0)
        )

    def set_envelope_visible(self, visible: bool) -> None:
        self.envelope_layer.setVisible(visible)

    def for_one_picture(self) -> None:
        """The scene is final: one picture is drawn, then the view is dropped
        (:func:`~zacviz.ui.render3d.render_3d`). The layers let their arrays go
        once in GL, and the view its volumes' triangles: 150 MB of the 1 GB
        of a picture of 40 outlines of 10,000 vertices, in software OpenGL
        where the driver's copies are in the same memory. No edit or sun
        change after this."""
        for item in self.items:
            if isinstance(item, SceneMesh):
                item.let_go_of_arrays()
        self._context_tris = self._building_tris = np.zeros((0, 3, 3), dtype=np.float32)
        self._context_normals = self._building_normals = np.zeros((0, 4), dtype=np.int8)
        self._one_picture = True

    def _check_not_one_picture(self) -> None:
        if self._one_picture:
            raise RuntimeError("3D view: the scene was handed over for one picture (for_one_picture)")

    # ---------------------------------------------------------------- the sun

    def set_sun(self, when: datetime | SunPosition) -> None:
        """Move the sun to a (timezone-aware) time, or to a given position."""
        if isinstance(when, SunPosition):
            self.sun, self.sun_time = when, None
        else:
            self.sun, self.sun_time = sun_at_site(self.site, when), when
        self.lighting.follow(self.sun)
        night = self.sun.elevation_deg <= 0
        self.ground_image.brightness = self.ground_detail.brightness = 0.55 if night else 1.0
        self._rebuild_shadows()
        self.update()
        self.sun_changed.emit(self.sun)

    def _rebuild_shadows(self) -> None:
        """Every volume's shadow, projected in one numpy pass (the stencil draws
        each ground pixel once, so the overlapping triangles need no union)."""
        self._check_not_one_picture()
        sun = self.sun
        if sun is None or sun.elevation_deg <= 0:
            self.shadow_layer.set_triangles(np.zeros((0, 3, 3)), palette.SHADOW_COLOR, (0.0, 0.0, 1.0))
            return
        # Only the faces lit by the sun: their shadows cover the volumes' (a
        # ray from the shadow to the sun leaves the volume through a lit face).
        parts = [
            projected_triangles(tris, sun, unpack_normals(packed[::step]))
            for tris, packed, step in (
                (self._context_tris, self._context_normals, 1),
                (self._building_tris, self._building_normals, 3),
            )
        ]
        t = np.concatenate(parts) if len(parts[0]) else parts[1]
        del parts
        # One colour and one normal for every vertex: constant attributes, no buffers.
        self.shadow_layer.set_triangles(t, palette.SHADOW_COLOR, (0.0, 0.0, 1.0))

    # ---------------------------------------------------------------- cameras

    def _fit_distance(self, extent: float) -> float:
        return extent / (2.0 * math.tan(math.radians(self.opts["fov"]) / 2.0)) * 1.15

    def _look(self, x: float, y: float, z: float, distance: float, elevation: float, azimuth: float) -> None:
        self.setCameraPosition(
            pos=QtGui.QVector3D(x, y, z), distance=distance, elevation=elevation, azimuth=azimuth
        )

    def overview(self) -> None:
        """The whole site from the south-south-west, at an oblique angle."""
        self.stop_orbit()
        self.opts["fov"] = 45
        x0, y0, x1, y1 = self._scene_bounds()
        extent = max(x1 - x0, y1 - y0)
        self._look((x0 + x1) / 2, (y0 + y1) / 2, 0.0, self._fit_distance(extent), 40.0, -110.0)

    def lot_view(self, lot: Lot, elevation: float = 32.0, azimuth: float = -115.0) -> None:
        """A lot and its surroundings at an oblique angle (the render's framing)."""
        self.stop_orbit()
        self.opts["fov"] = 40
        minx, miny, maxx, maxy = lot.polygon.bounds
        cx, cy = self.to_scene((minx + maxx) / 2, (miny + maxy) / 2)
        extent = max(maxx - minx, maxy - miny) * 1.35
        self._look(cx, cy, 4.0, self._fit_distance(extent), elevation, azimuth)

    def pedestrian(self, lot: Lot) -> None:
        """Eyes 1.7 m above the pavement at the lot's road frontage, looking in."""
        self.stop_orbit()
        self.opts["fov"] = 70
        inside = lot.polygon.representative_point()
        frontage = lot_geometry(self.site, lot).frontage
        pieces = [g for g in getattr(frontage, "geoms", [frontage]) if g.length > 0]
        if pieces:
            edge = max(pieces, key=lambda g: g.length)
            gate = edge.interpolate(0.5, normalized=True)
        else:
            gate = lot.polygon.exterior.interpolate(lot.polygon.exterior.project(inside))
        dx, dy = inside.x - gate.x, inside.y - gate.y
        d = math.hypot(dx, dy) or 1.0
        ux, uy = dx / d, dy / d
        # Stand 10 m out on the road, look at a point 40 m in, 4 m up (a little upward).
        eye = (gate.x - 10.0 * ux, gate.y - 10.0 * uy, 1.7)
        look = (gate.x + 40.0 * ux, gate.y + 40.0 * uy, 4.0)
        vx, vy, vz = eye[0] - look[0], eye[1] - look[1], eye[2] - look[2]
        dist = math.sqrt(vx * vx + vy * vy + vz * vz)
        cx, cy = self.to_scene(look[0], look[1])
        self._look(
            cx, cy, look[2], dist, math.degrees(math.asin(vz / dist)), math.degrees(math.atan2(vy, vx))
        )

    def camera_preset(self, preset: str, lot: Lot | None) -> None:
        """``"overview"``, ``"pedestrian"`` or ``"lot"`` (the whole site when there is no lot)."""
        if preset == "overview" or lot is None:
            self.overview()
        elif preset == "pedestrian":
            self.pedestrian(lot)
        else:
            self.lot_view(lot)

    def orbit_lot(self, lot: Lot) -> None:
        """Circle slowly around a lot (stops at the first mouse press or touch)."""
        self.lot_view(lot, elevation=30.0)
        self._orbit_timer.start()

    def stop_orbit(self) -> None:
        self._orbit_timer.stop()

    def orbit(self, azim: float, elev: float) -> None:
        super().orbit(azim, elev)
        # Keep the camera above the ground: the scene has no underside worth seeing.
        if self.opts["elevation"] < MIN_CAMERA_ELEVATION_DEG:
            self.opts["elevation"] = MIN_CAMERA_ELEVATION_DEG

    def paint(self, *, region, viewport, useItemNames=False) -> None:
        """GLViewWidget.paint, clearing the stencil with depth and colour in one go
        (a separate stencil clear of a packed depth-stencil buffer is a full extra pass),
        and the ground copied from its cache when the camera has not moved."""
        t0 = time.perf_counter()
        self.setProjection(region, viewport)
        self.setModelview()
        GL.glClearColor(*self.opts["bgcolor"])
        GL.glClearStencil(0)
        GL.glClear(GL.GL_DEPTH_BUFFER_BIT | GL.GL_COLOR_BUFFER_BIT | GL.GL_STENCIL_BUFFER_BIT)
        cached = not useItemNames and self._ground_from_cache(region, viewport)
        for item in self._ground_layers:
            item.from_cache = cached
        try:
            self.drawItemTree(useItemNames=useItemNames)
        finally:
            for item in self._ground_layers:
                item.from_cache = False
        GL.glFinish()
        self.last_frame_at = time.perf_counter()
        self.last_frame_ms = (self.last_frame_at - t0) * 1000.0
        self.frames_drawn += 1

    def _on_frame_swapped(self) -> None:
        """The frame is on screen (a window: swapped; a widget: composed into its window and swapped)."""
        self.last_swap_at = time.perf_counter()
        self.frames_swapped += 1

    def _ground_from_cache(self, region, viewport) -> bool:
        """Copy the ground from its cache when its key is this frame's, filling the
        cache on the second frame in a row with the same key; False: draw it."""
        if self.ground_cache_enabled is None:
            self.ground_cache_enabled = GroundCache.supported(self)
        if not self.ground_cache_enabled or int(GL.glGetIntegerv(GL.GL_FRAMEBUFFER_BINDING)) != int(
            self.defaultFramebufferObject()
        ):
            return False  # an offscreen picture (renderToArray): drawn as it is
        layers = [item for item in self._ground_layers if item.visible()]
        key = (
            tuple(self.currentProjection().data()),
            tuple(self.currentModelView().data()),
            tuple(region),
            tuple(viewport),
            self.devicePixelRatioF(),  # the framebuffer's size in pixels, with the region
            tuple((id(i), i.version, getattr(i, "brightness", 1.0)) for i in layers),
            tuple(self.opts["bgcolor"]),
        )
        cache = self._ground_cache
        if not cache.ready(key):
            if key != self._frame_key:
                # The camera moves (an orbit, a drag): draw directly, and fill the
                # cache once it has rested.
                self._frame_key = key
                self._settle_timer.start()
                return False
            x, y, w, h = (int(v) for v in GL.glGetIntegerv(GL.GL_VIEWPORT))
            if (x, y) != (0, 0) or not cache.fill(layers, (w, h), self.opts["bgcolor"], key):
                return False
        cache.draw()
        return True

    # ----------------------------------------------------------------- picking

    def ray_at(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """The viewing ray through widget pixel (x, y): origin and unit direction, scene coordinates."""
        w, h = max(1, self.width()), max(1, self.height())
        m = self.projectionMatrix((0, 0, w, h), (0, 0, w, h)) * self.viewMatrix()
        inv, ok = m.inverted()
        if not ok:
            raise ValueError("singular camera matrix")
        nx, ny = 2.0 * x / w - 1.0, 1.0 - 2.0 * y / h
        near = inv.map(QtGui.QVector3D(nx, ny, -1.0))
        far = inv.map(QtGui.QVector3D(nx, ny, 1.0))
        a = np.array([near.x(), near.y(), near.z()])
        d = np.array([far.x(), far.y(), far.z()]) - a
        return a, d / (np.linalg.norm(d) or 1.0)

    def pick(self, x: float, y: float) -> str | None:
        """The project building under widget pixel (x, y), nearest first, or None.

        Each building is taken as its footprint extruded to ``height_m``: the
        piece of the ray between that height and the ground, seen from above,
        crosses the footprint exactly when the ray passes through the prism.
        """
        if not self.buildings:
            return None
        a, d = self.ray_at(x, y)
        if d[2] >= -1e-9:
            return None  # looking at the sky
        best: tuple[float, str] | None = None
        for b in self.buildings:
            poly = affinity.translate(footprint_polygon(b.footprint), -self.origin[0], -self.origin[1])
            t_top = max(0.0, (b.height_m - a[2]) / d[2]) if a[2] > b.height_m else 0.0
            t_ground = -a[2] / d[2]
            p0, p1 = a + t_top * d, a + t_ground * d
            segment = shapely.LineString([(p0[0], p0[1]), (p1[0], p1[1])])
            hit = segment.intersection(poly)
            if hit.is_empty:
                continue
            # Distance along the ray to the first point of the prism it meets.
            first = min(math.hypot(px - p0[0], py - p0[1]) for px, py in _coords(hit))
            horiz = math.hypot(d[0], d[1]) or 1e-12
            t = t_top + first / horiz
            if best is None or t < best[0]:
                best = (t, b.id)
        return best[1] if best else None

    # ----------------------------------------------------------------- input

    def mousePressEvent(self, ev: QtGui.QMouseEvent) -> None:
        self.stop_orbit()
        self._press_pos = ev.position()
        super().mousePressEvent(ev)

    def mouseReleaseEvent(self, ev: QtGui.QMouseEvent) -> None:
        start = getattr(self, "_press_pos", None)
        pos = ev.position()
        if (
            ev.button() == QtCore.Qt.MouseButton.LeftButton
            and start is not None
            and abs(pos.x() - start.x()) + abs(pos.y() - start.y()) < 4
        ):
            self.building_clicked.emit(self.pick(pos.x(), pos.y()))
        self._press_pos = None
        super().mouseReleaseEvent(ev)

    def mouseMoveEvent(self, ev: QtGui.QMouseEvent) -> None:
        if ev.buttons() == QtCore.Qt.MouseButton.RightButton:
            lpos = ev.position()
            diff = lpos - getattr(self, "mousePos", lpos)
            self.mousePos = lpos
            self.pan(diff.x(), diff.y(), 0, relative="view-upright")
            return
        super().mouseMoveEvent(ev)

    # ----------------------------------------------------------------- output

    def render_image(self, size: tuple[int, int]) -> np.ndarray:
        """The scene as an RGBA array (rows × cols × 4), in one offscreen pass.

        Into a framebuffer of exactly ``size``: pyqtgraph's ``renderToArray``
        draws into a square power-of-two texture with a 256-pixel margin (4096²
        for 2400 × 1440, 128 MB of colour and depth in software OpenGL, and as
        much again read back), which it only needs to paste tiles together.
        Beyond the driver's limits the picture is drawn in such tiles."""
        w, h = int(size[0]), int(size[1])
        self.makeCurrent()
        limit = min(
            int(GL.glGetIntegerv(GL.GL_MAX_TEXTURE_SIZE)),
            int(GL.glGetIntegerv(GL.GL_MAX_RENDERBUFFER_SIZE)),
            *(int(v) for v in np.ravel(GL.glGetIntegerv(GL.GL_MAX_VIEWPORT_DIMS))),
        )
        if max(w, h) > limit:
            bgra = self.renderToArray((w, h), textureSize=min(4096, limit))
            return np.ascontiguousarray(bgra[..., [2, 1, 0, 3]])
        fmt = QtOpenGL.QOpenGLFramebufferObjectFormat()
        fmt.setAttachment(QtOpenGL.QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
        fbo = QtOpenGL.QOpenGLFramebufferObject(w, h, fmt)
        try:
            fbo.bind()
            GL.glViewport(0, 0, w, h)
            self.paint(region=(0, 0, w, h), viewport=(0, 0, w, h))
            rows = np.empty((h, w, 4), dtype=np.uint8)
            GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 1)
            GL.glReadPixels(0, 0, w, h, GL.GL_RGBA, GL.GL_UNSIGNED_BYTE, rows)
        finally:
            fbo.release()
            del fbo
        return np.ascontiguousarray(rows[::-1])  # GL's first row is the bottom one

    def scene_to_pixel(self, x: float, y: float, z: float, size: tuple[int, int]) -> tuple[float, float]:
        """Where a scene point lands in an image of ``size`` (col, row), for tests and labels."""
        w, h = size
        proj = self.projectionMatrix((0, 0, w, h), (0, 0, w, h))
        m = proj * self.viewMatrix()
        p = m.map(QtGui.QVector3D(x, y, z))
        return ((p.x() + 1) / 2 * w, (1 - p.y()) / 2 * h)


class View3D(_SceneView, QtOpenGLWidgets.QOpenGLWidget):
    """The 3D view as a widget: it can lie under other widgets (the kiosk's
    screens float their panels over it) and draw offscreen (``render_image``).

    Qt draws it into a framebuffer, then composes that into its window; on
    software OpenGL that composition costs more than the frame itself, so the
    editor's pane uses :class:`View3DWindow` instead."""

    def __init__(
        self,
        site: Site,
        parent: QtWidgets.QWidget | None = None,
        *,
        texture_px: int = MAX_TEXTURE_PX,
        detail_px: int = MAX_TEXTURE_PX,
    ):
        super().__init__(site, parent, texture_px=texture_px, detail_px=detail_px)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        self.grabGesture(QtCore.Qt.GestureType.PinchGesture)

    def event(self, ev: QtCore.QEvent) -> bool:
        if ev.type() == QtCore.QEvent.Type.Gesture:
            pinch = ev.gesture(QtCore.Qt.GestureType.PinchGesture)
            if pinch is not None:
                self.stop_orbit()
                flags = pinch.changeFlags()
                if flags & QtWidgets.QPinchGesture.ChangeFlag.ScaleFactorChanged and pinch.scaleFactor() > 0:
                    self.opts["distance"] /= pinch.scaleFactor()
                if flags & QtWidgets.QPinchGesture.ChangeFlag.RotationAngleChanged:
                    self.orbit(pinch.rotationAngle() - pinch.lastRotationAngle(), 0)
                if flags & QtWidgets.QPinchGesture.ChangeFlag.CenterPointChanged:
                    delta = pinch.centerPoint() - pinch.lastCenterPoint()
                    self.pan(delta.x(), delta.y(), 0, relative="view-upright")
                self.update()
                ev.accept()
                return True
        return super().event(ev)


class View3DWindow(_SceneView, QtOpenGL.QOpenGLWindow):
    """The 3D view as a native window of its own, for the editor's pane
    (:meth:`embedded` makes it with the widget that holds it).

    It draws straight into the window's surface and swaps: no framebuffer of
    its own, no composition with the widgets around it, so an edit's frame is
    on screen as soon as it is drawn. Nothing can be laid over it (the kiosk
    floats panels over its 3D view: it keeps :class:`View3D`), and touch
    reaches it as mouse events (a finger orbits; no pinch)."""

    _update_posted = False

    def __init__(
        self,
        site: Site,
        parent: QtGui.QWindow | None = None,
        *,
        texture_px: int = MAX_TEXTURE_PX,
        detail_px: int = MAX_TEXTURE_PX,
    ) -> None:
        super().__init__(
            site,
            QtOpenGL.QOpenGLWindow.UpdateBehavior.NoPartialUpdate,
            parent,
            texture_px=texture_px,
            detail_px=detail_px,
        )
        fmt = QtGui.QSurfaceFormat(QtGui.QSurfaceFormat.defaultFormat())
        # The stencil draws overlapping shadows once; the depth buffer sorts the volumes.
        fmt.setDepthBufferSize(max(24, fmt.depthBufferSize()))
        fmt.setStencilBufferSize(max(8, fmt.stencilBufferSize()))
        self.setFormat(fmt)

    @classmethod
    def embedded(
        cls, site: Site, parent: QtWidgets.QWidget | None = None, **kwargs
    ) -> tuple[View3DWindow, QtWidgets.QWidget]:
        """A view and the widget that holds it in a layout (it takes its focus and size).

        The holder owns the view. The view is made with a stand-in parent window
        so that Python never owns it too: a window made without a parent would
        be deleted twice (by the holder, and by Python at exit)."""
        stand_in = QtGui.QWindow()
        view = cls(site, stand_in, **kwargs)
        holder = QtWidgets.QWidget.createWindowContainer(view, parent)
        holder.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        stand_in.deleteLater()  # the view has left it for the holder
        return view, holder

    def update(self) -> None:
        """Draw on the event loop's next turn, as a widget does; several updates in
        one turn make one frame. (QWindow.update waits for a 5 ms timer first, and
        asking for both would draw the frame twice: an UpdateRequest draws a
        QOpenGLWindow whether it is marked dirty or not.)"""
        if not self._update_posted and self.isExposed():  # else its expose draws it
            self._update_posted = True
            QtCore.QCoreApplication.postEvent(self, QtCore.QEvent(QtCore.QEvent.Type.UpdateRequest))

    def repaint(self) -> None:
        """Draw and swap now (as QWidget.repaint), or at its expose when not shown.

        An update posted before (the scene's items ask for one as they change)
        is dropped: this frame draws them, and that event would draw the same
        frame again on the next turn."""
        if self.isExposed():
            if self._update_posted:
                QtCore.QCoreApplication.removePostedEvents(self, QtCore.QEvent.Type.UpdateRequest)
                self._update_posted = False
            QtCore.QCoreApplication.sendEvent(self, QtCore.QEvent(QtCore.QEvent.Type.UpdateRequest))

    def event(self, ev: QtCore.QEvent) -> bool:
        if ev.type() == QtCore.QEvent.Type.UpdateRequest:
            self._update_posted = False
        return super().event(ev)

    def paintGL(self) -> None:
        # A window's viewport is ours to set (a widget's is set by Qt before paintGL).
        GL.glViewport(0, 0, self.deviceWidth(), self.deviceHeight())
        super().paintGL()


def _coords(geom: BaseGeometry) -> list[tuple[float, float]]:
    parts = getattr(geom, "geoms", [geom])
    return [c for g in parts for c in getattr(g, "coords", [])]


# ------------------------------------------------------------- sun control


class SunControl(QtWidgets.QWidget):
    """A date and an hour slider; emits ``changed(datetime)`` (aware, site time)."""

    changed = QtCore.Signal(object)

    STEP_MIN = 15

    def __init__(self, when: datetime | None = None, tz: str = DEFAULT_TIMEZONE, parent=None) -> None:
        super().__init__(parent)
        self.tz = ZoneInfo(tz)
        when = (when or default_sun_time(tz)).astimezone(self.tz)
        self.date = QtWidgets.QDateEdit(QtCore.QDate(when.year, when.month, when.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.slider.setRange(0, 24 * 60 // self.STEP_MIN - 1)
        self.slider.setValue((when.hour * 60 + when.minute) // self.STEP_MIN)
        self.slider.setPageStep(60 // self.STEP_MIN)
        self.slider.setMinimumWidth(100)
        self.label = QtWidgets.QLabel()
        self.label.setMinimumWidth(48)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.date.dateChanged.connect(self._emit)
        self.slider.valueChanged.connect(self._emit)
        self._update_label()

    def value(self) -> datetime:
        d = self.date.date()
        minutes = self.slider.value() * self.STEP_MIN
        day = datetime(d.year(), d.month(), d.day(), tzinfo=self.tz)
        # Wall-clock hours of that day (a DST day is 23 or 25 h long: stay on its clock).
        return day.replace(hour=minutes // 60, minute=minutes % 60)

    def set_value(self, when: datetime) -> None:
        when = when.astimezone(self.tz)
        blockers = (QtCore.QSignalBlocker(self.date), QtCore.QSignalBlocker(self.slider))
        self.date.setDate(QtCore.QDate(when.year, when.month, when.day))
        self.slider.setValue((when.hour * 60 + when.minute) // self.STEP_MIN)
        del blockers
        self._update_label()

    def _update_label(self) -> None:
        self.label.setText(self.value().strftime("%H:%M"))

    def _emit(self, *_: object) -> None:
        self._update_label()
        self.changed.emit(self.value())


__all__ = [
    "GroundImage",
    "Lighting",
    "SceneMesh",
    "SunControl",
    "View3D",
    "View3DWindow",
    "default_sun_time",
]
