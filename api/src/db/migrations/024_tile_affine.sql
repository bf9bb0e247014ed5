-- Vector tiles: the working CRS (RD New) → Web Mercator transform of a tile's features, replaced by
-- one affine map fitted to the tile when that map is exact enough (issue 9, decision 99).
-- ST_Transform runs the whole PROJ pipeline per vertex (inverse stereographic, datum shift,
-- Mercator: ~1.4 µs a point), which was more than half of a z14 tile's SQL. Over one tile both
-- projections are conformal and smooth, so an affine map is off by a second-order term that shrinks
-- with the tile's size. This returns the map's six coefficients (ST_Affine's a, b, d, e, xoff, yoff):
-- the linear part fitted by least squares to the exact transform of the tile's four corners (with
-- the tile's buffer), the offsets midway between the residuals at those corners, the centre and the
-- four edge midpoints, and all nine points checked against the exact transform. When any of them is
-- off by more than half a tile unit (tile side / extent: what the tile's own integer grid rounds
-- away) or the transform fails, it returns NULL and the tile SQL transforms every vertex exactly.
-- In the Netherlands the worst point is 0.33 units off at z14 (~20 cm, 1/48 of a screen pixel),
-- 0.16 at z15, 0.08 at z16, and 0.66 at z13 (exact there); the residual is second order (mostly the
-- meridian convergence that RD has and Mercator has not), so nine points bound it over the tile.
CREATE OR REPLACE FUNCTION samenhang_tile_affine(z integer, x integer, y integer, srid integer, extent integer, buffer integer)
RETURNS float8[] LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  tile geometry := ST_TileEnvelope(z, x, y);
  unit float8 := (ST_XMax(tile) - ST_XMin(tile)) / extent;
  box geometry := ST_Transform(ST_TileEnvelope(z, x, y, margin => buffer::float8 / extent), srid);
  x0 float8 := ST_XMin(box); x1 float8 := ST_XMax(box);
  y0 float8 := ST_YMin(box); y1 float8 := ST_YMax(box);
  xc float8 := (x0 + x1) / 2; yc float8 := (y0 + y1) / 2;
  -- the exact transform of: centre, 4 corners (fitted), 4 edge midpoints (checked)
  px float8[] := ARRAY[xc, x0, x1, x0, x1, xc, xc, x0, x1];
  py float8[] := ARRAY[yc, y0, y0, y1, y1, y0, y1, yc, yc];
  m geometry;
  mx float8[] := '{}'; my float8[] := '{}';
  r float8; rx0 float8 := 'Infinity'; rx1 float8 := '-Infinity'; ry0 float8 := 'Infinity'; ry1 float8 := '-Infinity';
  a float8; b float8; d float8; e float8; xo float8; yo float8;
  i integer;
BEGIN
  m := ST_Transform(ST_SetSRID(ST_MakeLine(ARRAY[
         ST_MakePoint(xc, yc), ST_MakePoint(x0, y0), ST_MakePoint(x1, y0), ST_MakePoint(x0, y1), ST_MakePoint(x1, y1),
         ST_MakePoint(xc, y0), ST_MakePoint(xc, y1), ST_MakePoint(x0, yc), ST_MakePoint(x1, yc)]), srid), 3857);
  FOR i IN 1..9 LOOP
    mx := mx || ST_X(ST_PointN(m, i)); my := my || ST_Y(ST_PointN(m, i));
  END LOOP;
  -- least squares over centre + corners: the corners are ±half the box from the centre either way
  a := (mx[3] + mx[5] - mx[2] - mx[4]) / (2 * (x1 - x0));
  b := (mx[4] + mx[5] - mx[2] - mx[3]) / (2 * (y1 - y0));
  d := (my[3] + my[5] - my[2] - my[4]) / (2 * (x1 - x0));
  e := (my[4] + my[5] - my[2] - my[3]) / (2 * (y1 - y0));
  -- the offsets put the fitted map in the middle of the residuals at all nine points (minimax for
  -- the second-order terms that remain: a quarter to a third less error than least squares)
  FOR i IN 1..9 LOOP
    r := mx[i] - a * px[i] - b * py[i]; rx0 := least(rx0, r); rx1 := greatest(rx1, r);
    r := my[i] - d * px[i] - e * py[i]; ry0 := least(ry0, r); ry1 := greatest(ry1, r);
  END LOOP;
  xo := (rx0 + rx1) / 2; yo := (ry0 + ry1) / 2;
  FOR i IN 1..9 LOOP
    IF sqrt((a * px[i] + b * py[i] + xo - mx[i]) ^ 2 + (d * px[i] + e * py[i] + yo - my[i]) ^ 2) > unit / 2 THEN
      RETURN NULL;
    END IF;
  END LOOP;
  RETURN ARRAY[a, b, d, e, xo, yo];
EXCEPTION WHEN OTHERS THEN
  RETURN NULL; -- a tile the working CRS cannot express (far outside its area): exact transform, which says why
END $$;
