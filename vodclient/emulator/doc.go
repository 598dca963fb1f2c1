// Package emulator is a stand-in for the ApsaraVideo VOD API (version
// 2017-03-21) for machines that cannot reach Alibaba Cloud.
//
// An [Emulator] is an [http.Handler]. At "/" it answers GetImageInfo,
// GetImageInfos, BatchGetMediaInfos, SearchMedia and GetCategories the way
// the real gateway does:
// requests must be signed with signature V3 (ACS3-HMAC-SHA256, as sent by
// darabonba-openapi) or the older V1 (HMAC-SHA1 query signature, GET or
// POST form), nonces may not be reused, dates must be within 15 minutes,
// STS keys must carry their token, and errors come back as the gateway's
// JSON error body {"RequestId","HostId","Code","Message","Recommend"}.
//
// Every URL in a response (image URLs, covers, snapshots, sprite
// snapshots, mezzanine files, play URLs) is replaced by a URL of the
// emulator itself, built from the request's Host and signed like a CDN
// type-A URL (OutputType cdn) or an OSS URL (OutputType oss; mezzanine
// files are always OSS URLs), and the emulator serves those URLs:
// generated PNG/JPEG pictures, distinct per asset, at the size the
// catalog declares (an image's Mezzanine Width×Height; covers and
// snapshots the video's shape, 1280 pixels on the long side) and about as
// heavy as photos of that size, and real, small media embedded in the
// binary: per
// definition (FD, LD, SD, HD, 2K, 4K, OD) a six-second H.264/AAC clip
// labelled with the definition, its resolution and a running timecode, as
// MP4 and as HLS (a playlist whose segment URLs are signed like it; an
// AUTO stream is a master playlist of the media's other HLS streams), and
// a chirp as MP3 and M4A (see media/README.md). Formats no browser plays
// (flv, mpd, mov, wav, ...) get small placeholders of the right type.
// Ranges and conditional requests are honoured, and any origin may read
// the answers (CORS), as from a CDN set up for web players.
// Expired or tampered URLs get 403.
//
// # Errors
//
// Checks run in this order; the first failure answers:
//
//	400 MissingParameter               no signature at all, or no Action / Version
//	400 UnsupportedHTTPMethod          not GET or POST
//	400 InvalidVersion                 Version other than 2017-03-21
//	404 InvalidAction.NotFound         an action the emulator does not know
//	400 IncompleteSignature            malformed Authorization header
//	400 InvalidSignatureMethod         not ACS3-HMAC-SHA256 (V3) or HMAC-SHA1 1.0 (V1)
//	400 MissingParameter               a signature header or parameter missing (x-acs-date, SignatureNonce, ...)
//	400 IncompleteSignature            host or an x-acs-* header not in SignedHeaders
//	400 SignatureDoesNotMatch          x-acs-content-sha256 is not the body's hash
//	400 InvalidTimeStamp.Format        x-acs-date / Timestamp not ISO 8601 UTC
//	400 InvalidTimeStamp.Expired       more than 15 minutes off
//	404 InvalidAccessKeyId.NotFound    unknown AccessKey ID
//	400 MissingSecurityToken           an STS key without its token
//	400 InvalidSecurityToken.Malformed a token that is no STS key's (or a token on a plain key)
//	400 InvalidSecurityToken.MismatchWithAccessKey  another STS key's token
//	400 SignatureDoesNotMatch          wrong signature; Message carries the server's string
//	                                   to sign (V1: SecurityToken redacted), never a secret
//	400 SignatureNonceUsed             nonce seen within its 15-minute window
//	    injected faults                see InjectFault
//	503 Throttling.User                over SetRateLimit (header x-ratelimit-user-api)
//	400 MissingParameter / InvalidParameter  action parameters (over 20 IDs, AuthTimeout, OutputType;
//	                                   SearchMedia's SearchType, SortBy, PageNo, PageSize, Match,
//	                                   ScrollToken; GetCategories' CateId, Type, ...)
//	404 NoSuchResource                 GetImageInfo of an unknown image
//	404 InvalidCateId.NotFound         GetCategories of an unknown category
//
// # Responses
//
// IDs are answered in the order asked; an ID asked twice is answered once.
// BatchGetMediaInfos answers media asked by MediaIds first, then media
// found by ReferenceIds. NonExistImageIds, NonExistMediaIds,
// ForbiddenMediaIds and NonExistReferenceIds are omitted when empty;
// ImageInfo and MediaInfos are always arrays. Catalog entries are replayed
// as stored, field types included, with only their URLs replaced.
//
// # Search
//
// SearchMedia filters the catalog with a Match filter (see [ParseMatch]
// for the grammar; Title is fuzzy, VideoId / AudioId / ImageId, CateId,
// Status, Tags and StorageLocation exact or "in", CreationTime a range),
// sorts by CreationTime (ties by ID, in the same direction) and pages.
// PageNo × PageSize reaches the first 5000 hits; video and audio answers
// carry a ScrollToken, a stateless signed offset, and a request with one
// counts its pages from that offset, up to 100 records past it. A media
// entry is audio when nothing in it shows a picture (no video stream, no
// mezzanine Width/Height, no video play stream) and something shows sound
// (an audio stream, an audio play stream, an audio file extension); any
// other media entry is video.
// GetCategories answers the catalog's category tree, in catalog order as
// creation order. Both are limited to 50 calls per second per AccessKey.
// [Options].Synthetic adds generated assets, enough to page past 5000.
//
// Test knobs ([Emulator.SetLatency], [Emulator.SetRateLimit],
// [Emulator.InjectFault], [Emulator.Calls]) may be used while serving.
//
// The data comes from a [Catalog] in the API's own JSON shapes, so that
// responses saved from a real account can be replayed. [DemoCatalog] is an
// embedded catalog of a fictional media team, generated by
// internal/gendemo (run "go generate" in this directory).
package emulator

//go:generate go run ./internal/gendemo -o demo_catalog.json
