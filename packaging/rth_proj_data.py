"""Runtime hook of the frozen build: one PROJ database for GDAL and pyproj.

rasterio's and pyproj's wheels each bring PROJ's 9 MB database. The bundle keeps
rasterio's (the newer PROJ: a database serves its own version and older ones)
and points both at it, whatever PROJ_DATA the machine sets for its own PROJ.
"""

import os
import sys

_proj_data = os.path.join(sys._MEIPASS, "rasterio", "proj_data")  # type: ignore[attr-defined]
if os.path.isfile(os.path.join(_proj_data, "proj.db")):
    os.environ["PROJ_DATA"] = _proj_data
    os.environ.pop("PROJ_LIB", None)
