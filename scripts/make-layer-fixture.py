#!/usr/bin/python3
"""Writes test/fixtures/layers/oakland-beats-2227.zip: four made-up 'beats' over Oakland as a zipped
Shapefile in EPSG:2227 (NAD83 / California zone 3, US feet), with a .prj, so that the importer's
reprojection (shpjs + proj4) is checked against PROJ's (pyproj), an independent implementation.
The WGS84 corners each polygon was made from go beside it as oakland-beats-2227.json.
Needs Debian's python3-pyshp and python3-pyproj; run with /usr/bin/python3."""
import io, json, os, zipfile
import shapefile, pyproj

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'layers')
crs = pyproj.CRS.from_epsg(2227)
to_plane = pyproj.Transformer.from_crs('EPSG:4326', crs, always_xy=True)
S, N, W, E = 37.73, 37.85, -122.33, -122.14
ms, mw = (S + N) / 2, (W + E) / 2
quads = {
    'Beat 1X': (ms, N, W, mw), 'Beat 2X': (ms, N, mw, E),
    'Beat 3Y': (S, ms, W, mw), 'Beat 4Y': (S, ms, mw, E),
}
shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
w.field('BEAT', 'C', size=20)
w.field('POP', 'N', size=10)
corners = {}
for i, (name, (s, n, west, east)) in enumerate(quads.items()):
    ring = [(west, n), (east, n), (east, s), (west, s), (west, n)]  # clockwise: an outer ring
    corners[name] = ring
    w.poly([[to_plane.transform(x, y) for x, y in ring]])
    w.record(name, 1000 * (i + 1))
w.close()
with zipfile.ZipFile(os.path.join(ROOT, 'oakland-beats-2227.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
    for ext, buf in (('shp', shp), ('shx', shx), ('dbf', dbf)):
        z.writestr(f'beats.{ext}', buf.getvalue())
    z.writestr('beats.prj', crs.to_wkt('WKT1_ESRI'))
with open(os.path.join(ROOT, 'oakland-beats-2227.json'), 'w') as f:
    json.dump({'crs': 'EPSG:2227', 'corners': corners}, f, indent=1)
