"""A synthetic person with known ground truth: the demo, the test fixture and the benchmark input.

API
---
``generate(out_dir, seed=0, scale=1, profile=None) -> Path`` writes
``out_dir/exports/`` (the person's exports) and ``out_dir/ground_truth.json``
and returns ``out_dir``. ``export_inputs(out_dir)`` lists the paths to give
to ``reflet audit`` (each export is a zip or a folder). ``Persona(seed, scale,
profile)`` is the model itself (``model.py`` explains it); ``profile_for_seed``
picks the profile a benchmark sweep uses for a seed (seed 0 is ``default``).

Profiles: ``default`` (rich data), ``nightshift``, ``traveller``, ``no_work``,
``sparse`` (a few dozen daytime points on purpose: home and work cannot be
placed). ``scale`` multiplies the length of the history (scale 1 = 270 days).

ground_truth.json
-----------------
``schema``, ``seed``, ``scale``, ``profile``, ``person`` {name, given_name,
family_name, birth_year, city, country, country_code, timezone}, ``period``
{first_day, last_day, days, timezone};
``home``: {lat, lon, address, place_id, radius_m} or {status: "not_enough_data", reason};
``work``: {lat, lon, address, name, place_id, radius_m, schedule: "day"|"night", hours_local}
or {status: "none"|"not_enough_data", reason};
``model_anchors`` {home, work}: where the model put them even when the data cannot show it;
``commute`` {mode, route_distance_m, straight_distance_m, typical_minutes} or null;
``places``: [{id, kind, name, lat, lon, address, place_id, indoor, country_code, timezone,
distance_from_home_m, sensitive, schedule: [{weekdays, start_local, dwell_min, probability}]}];
``trips``: [{country_code, country, city, lat, lon, timezone, first_day, last_day, nights, hotel,
border_crossings: [{direction: out|back, mode, from_country, to_country, from_airport, to_airport,
from_code, to_code, departure, arrival, arrival_local}]}]; ``countries_visited``;
``gaps``: [{start, end, kind: phone_off|flight, hours}] (no location points inside);
``devices``: [{id, kind: phone|computer|camera, make, model, os, os_version, ... phones also
platform_type, pretty_name, device_tag (= Records.json deviceTag), ad_id, ad_id_kind,
user_agent, first_seen, last_seen; owned_by_person}] (the last is the unrecognised device);
``ips``: [{ip, type: residential|work|mobile|mobile_roaming|cgnat_internal|cgnat_shared|vpn|
public_wifi|unknown_foreign, first_seen, last_seen, uses, country_code,
expected_db_location, shared_with_strangers, isp?}];
``logins``: [{time, service, action, ip, ip_type, device_id, user_agent, person_was_at,
person_country, recognised_device}];
``compromise``: [{kind: login_unrecognised_device_abroad|recovery_email_added, time, ip, ...}];
``services``: the platforms the person uses (an export is written for each; ``sparse``
uses Google only); ``identity`` {name, emails[{value, role: primary|secondary|recovery|
pseudonymous, services, ...}], phones[{value, role, services}], usernames{platform: name},
ad_ids[{value, device_id, kind, services}], links[{kind, value, links[platforms]}]}: each
``services`` list names exactly the exports the value is written in (the X account is
pseudonymous: its own e-mail and handle, linked only by log-ins from the person's own line
within an hour of another account's: a ``links`` entry of kind ``same_ip_close_times`` names each
such pair the log-in histories show);
``photos``: [{file, time, local_time, format: jpeg|heic|mp4, has_gps, lat, lon, device_id, make,
model, serial, software, at (kind of place), spot_id}];
``posts``: [{id, service, time, text, visibility, place: {name, lat, lon, spot_id, kind}|null}];
``advertisers``: [{name, kind: data_broker|advertiser, holds, how, services}];
``off_platform_activity``: [{name, category, what, services, events[{time, type}], sensitive}];
``exports``: {google_takeout: {path, members, points, points_timestampMs, placeVisit,
activitySegment, semantic_months, timeline_edits{placeAggregates, rawSignal}},
google_ondevice_android?: {path, first, last, semanticSegments, rawSignals, counts},
google_ondevice_ios?: {path, first, last, entries, counts}} where ``counts`` gives the
entries by kind (visit, activity, timelinePath, timelinePath_points, position,
activityRecord, wifiScan): exact numbers a parser's test can assert. The Takeout entry also
gives access_log_rows, devices, emails, maps_location_infos, ads_advertisers (the access log,
devices CSV, Profile.json and My Activity members). One entry per other platform the person
uses (``writers/<platform>.py``), each {path, members, ...exact counts: logins, posts,
posts_with_place, devices, advertisers, off_platform, ...}: facebook, instagram, x, tiktok,
reddit, snapchat, linkedin, telegram (a folder, path to result.json), discord, whatsapp;
``photos`` {path, members, photos, geotagged, formats} for ``exports/Photos/``. Every login
of service S is in S's export. Paths are relative to ``out_dir/exports``; the sparse profile
writes only the Takeout zip (location files and the non-location members) and no photos.
Times are UTC ISO-8601 with ``Z``.
"""

from __future__ import annotations

from .generate import export_inputs, generate
from .model import PROFILES, Persona, profile_for_seed

__all__ = ["PROFILES", "Persona", "export_inputs", "generate", "profile_for_seed"]
