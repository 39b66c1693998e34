"""Google samples (formats.md section 3)."""

from __future__ import annotations

import json

_RECORDS = {
    "locations": [
        {"latitudeE7": 488566000, "longitudeE7": 23522000, "accuracy": 12, "source": "WIFI",
         "deviceTag": 1978796627, "timestamp": "2024-03-01T22:14:58.030Z"},
        {"latitudeE7": 488570000, "longitudeE7": 23530000, "accuracy": 5, "source": "GPS",
         "timestampMs": "1709331298030",
         "activity": [{"timestampMs": "1709331298030", "activity": [{"type": "STILL", "confidence": 90}]}]},
        {"latitudeE7": -338688000, "longitudeE7": 1512093000, "accuracy": 30, "source": "CELL",
         "timestamp": "2024-03-05T08:00:00Z"},
    ]
}

SAMPLES = {
    "google.records": [
        ("Takeout/Location History (Timeline)/Records.json", json.dumps(_RECORDS, indent=2).encode()),
        ("Takeout/Location History/Location History.json", json.dumps(_RECORDS).encode()),
    ],
}

_SEMANTIC = {
    "timelineObjects": [
        {"placeVisit": {
            "location": {"latitudeE7": 488566000, "longitudeE7": 23522000, "placeId": "ChIJsample1",
                         "address": "1 Rue Exemple, Paris", "name": "Boulangerie Exemple",
                         "semanticType": "TYPE_HOME", "sourceInfo": {"deviceTag": 1978796627},
                         "locationConfidence": 88.5},
            "duration": {"startTimestamp": "2019-03-01T18:00:00.000Z", "endTimestamp": "2019-03-02T08:00:00Z"},
            "placeConfidence": "HIGH_CONFIDENCE", "centerLatE7": 488566100, "centerLngE7": 23522100}},
        {"activitySegment": {
            "startLocation": {"latitudeE7": 488566000, "longitudeE7": 23522000},
            "endLocation": {"latitudeE7": 488800000, "longitudeE7": 23700000},
            "duration": {"startTimestampMs": "1551513600000", "endTimestampMs": "1551515400000"},
            "distance": 3200, "activityType": "IN_PASSENGER_VEHICLE", "confidence": "HIGH",
            "waypointPath": {"waypoints": [{"latE7": 488700000, "lngE7": 23600000}]},
            "simplifiedRawPath": {"points": [{"latE7": 488650000, "lngE7": 23550000, "accuracyMeters": 10,
                                              "timestampMs": "1551514200000"}]},
            "parkingEvent": {"location": {"latitudeE7": 488800100, "longitudeE7": 23700100, "accuracyMetres": 15},
                             "timestamp": "2019-03-02T08:30:00Z"}}},
    ]
}

_SETTINGS = {
    "createdTime": "2013-05-15T21:53:59.385Z", "modifiedTime": "2020-07-01T21:27:31.880Z",
    "historyEnabled": True,
    "deviceSettings": [{
        "deviceTag": 1978796627, "reportingEnabled": True, "devicePrettyName": "Pixel 4a",
        "platformType": "ANDROID", "deviceCreationTime": "2020-09-01T10:00:00.000Z", "androidOsLevel": 33,
        "deviceSpec": {"manufacturer": "Google", "brand": "google", "product": "sunfish", "device": "sunfish",
                       "model": "Pixel 4a", "isLowRam": False}}],
    "retentionWindowDays": 540, "hasReportedLocations": True,
}

# UNCONFIRMED layout (formats.md §3.4)
_EDITS = {
    "timelineEdits": [
        {"deviceId": "0", "placeAggregates": {
            "placeAggregateInfo": [{"score": 5.0, "numBucketsWithLocation": 14, "bucketSpanDays": 4,
                                    "point": {"latE7": 488566000, "lngE7": 23522000}, "placeId": "ChIJsample1",
                                    "placePoint": {"latE7": 488566500, "lngE7": 23522500}}],
            "windowSizeHrs": 2016, "topRankedPlacesPlaceIds": ["ChIJsample1"],
            "processWindow": {"startTime": "2023-09-20T08:01:15Z", "endTime": "2023-12-13T08:01:15Z"},
            "metadata": {"platform": "UNKNOWN"}}},
        {"deviceId": "1978796627", "rawSignal": {"signal": {"position": {
            "point": {"latE7": 488570000, "lngE7": 23530000}, "accuracyMm": 12000, "altitudeMeters": 35.0,
            "source": "WIFI", "timestamp": "2024-02-01T07:00:00.000Z", "speedMetersPerSecond": 0.0}},
            "additionalTimestamp": "2024-02-01T07:00:01Z", "metadata": {"platform": "ANDROID"}}},
    ]
}

_ANDROID = {
    "semanticSegments": [
        {"startTime": "2024-06-21T19:51:13.014-06:00", "endTime": "2024-06-22T07:30:00.000-06:00",
         "startTimeTimezoneUtcOffsetMinutes": -360, "endTimeTimezoneUtcOffsetMinutes": -360,
         "visit": {"hierarchyLevel": 0, "probability": 0.9,
                   "topCandidate": {"placeId": "ChIJsample2", "semanticType": "HOME", "probability": 0.8,
                                    "placeLocation": {"latLng": "39.7392358°, -104.9902510°"}}}},
        {"startTime": "2024-06-22T07:30:00.000-06:00", "endTime": "2024-06-22T08:00:00.000-06:00",
         "timelinePath": [{"point": "39.7400000°, -104.9800000°", "time": "2024-06-22T07:40:00.000-06:00"}]},
    ],
    "rawSignals": [
        {"position": {"LatLng": "39.7392000°, -104.9903000°", "accuracyMeters": 5, "altitudeMeters": 1600.0,
                      "source": "GPS", "timestamp": "2024-06-22T07:29:00.000-06:00", "speedMetersPerSecond": 0.0}},
        {"activityRecord": {"probableActivities": [{"type": "STILL", "confidence": 0.9}],
                            "timestamp": "2024-06-22T07:29:00.000-06:00"}},
    ],
    "userLocationProfile": {"frequentPlaces": [
        {"placeId": "ChIJsample2", "placeLocation": "39.7392358°, -104.9902510°", "label": "HOME"}]},
}

_IOS = [
    {"startTime": "2024-01-10T08:00:00.000-05:00", "endTime": "2024-01-10T17:00:00.000-05:00",
     "visit": {"hierarchyLevel": "0", "probability": "0.8",
               "topCandidate": {"placeID": "ChIJsample3", "semanticType": "Work", "probability": "0.7",
                                "placeLocation": "geo:40.712776,-74.005974"}}},
    {"startTime": "2024-01-10T17:00:00.000-05:00", "endTime": "2024-01-10T17:40:00.000-05:00",
     "activity": {"start": "geo:40.712776,-74.005974", "end": "geo:40.650002,-73.949997",
                  "distanceMeters": "9000.5", "topCandidate": {"type": "in passenger vehicle", "probability": "0.9"}}},
    {"startTime": "2024-01-10T17:00:00.000-05:00", "endTime": "2024-01-10T19:00:00.000-05:00",
     "timelinePath": [{"point": "geo:40.700000,-73.990000", "durationMinutesOffsetFromStartTime": "12"}]},
]

SAMPLES["google.semantic"] = [
    ("Takeout/Location History (Timeline)/Semantic Location History/2019/2019_MARCH.json",
     json.dumps(_SEMANTIC, indent=2).encode()),
    ("Takeout/Standortverlauf/Semantic Location History/2019/2019_MÄRZ.json", json.dumps(_SEMANTIC).encode()),
]
SAMPLES["google.location_settings"] = [
    ("Takeout/Location History (Timeline)/Settings.json", json.dumps(_SETTINGS, indent=2).encode()),
]
SAMPLES["google.timeline_edits"] = [
    ("Takeout/Location History (Timeline)/Timeline Edits.json", json.dumps(_EDITS, indent=2).encode()),
]
SAMPLES["google.ondevice_android"] = [
    ("Timeline.json", json.dumps(_ANDROID, ensure_ascii=False).encode()),
    ("Cronología.json", json.dumps(_ANDROID, indent=2, ensure_ascii=False).encode()),
]
SAMPLES["google.ondevice_ios"] = [
    ("location-history.json", json.dumps(_IOS, indent=1).encode()),
]
