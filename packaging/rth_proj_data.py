"""Runtime hook of the frozen build: PROJ reads the bundle's own database.

The application's CRSs go through rasterio's GDAL and PROJ (zacviz.geometry.crs);
the bundle carries that PROJ's 9 MB database in rasterio/proj_data. Point PROJ
at it whatever PROJ_DATA the machine sets for its own PROJ (another version's
database may lack what this one reads).
"""

import os
import sys

_proj_data = os.path.join(sys._MEIPASS, "rasterio", "proj_data")  # type: ignore[attr-defined]
if os.path.isfile(os.path.join(_proj_data, "proj.db")):
    os.environ["PROJ_DATA"] = _proj_data
    os.environ.pop("PROJ_LIB", None)
