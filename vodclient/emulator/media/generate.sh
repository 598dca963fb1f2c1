#!/usr/bin/env bash
# Generates the small demo media that the VOD emulator embeds and serves at
# its PlayURLs (see README.md beside this script). Run it from anywhere:
#
#	bash vodclient/emulator/media/generate.sh
#
# It needs ffmpeg built with libx264, libmp3lame and libfreetype (Debian:
# apt-get install ffmpeg) and the DejaVu fonts (fonts-dejavu-core). Only a
# developer who changes the clips runs it; `go run .` and `go test` use the
# committed files and need no ffmpeg.
#
# The output is reproducible for a given ffmpeg and font build: synthetic
# sources only (no randomness), no metadata, bit-exact muxing. A different
# ffmpeg version may produce different bytes of the same clips.
set -euo pipefail

cd "$(dirname "$0")"
FONT=${FONT:-/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf}
[[ -r $FONT ]] || { echo "font $FONT not found (apt-get install fonts-dejavu-core, or set FONT)" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg not found (apt-get install ffmpeg)" >&2; exit 1; }

DUR=6    # seconds per clip
FPS=25   # frames per second
SEG=2    # seconds per HLS segment; the GOP is one segment long
GOP=$((FPS * SEG))

ff=(ffmpeg -hide_banner -loglevel error -nostdin -y)
# No tags, no creation times, no encoder version strings in the containers.
bitexact=(-map_metadata -1 -map_chapters -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

rm -rf hls ./*.mp4 ./*.mp3 ./*.m4a
mkdir -p hls

# video DEF NOMINAL ENCODED LEVEL HZ HLS NOTE
#   DEF      definition, as in PlayInfo.Definition (the file names)
#   NOMINAL  what the label says, e.g. "1920×1080"
#   ENCODED  the real frame size, WxH (16:9)
#   LEVEL    H.264 level (Main profile), which also caps reference frames
#   HZ       pitch of the once-a-second ping (even, so the fifth above is whole)
#   HLS      yes: also an HLS playlist and segments
#   NOTE     the small line under the timecode
video() {
	local def=$1 nominal=$2 size=$3 level=$4 hz=$5 hls=$6 note=$7
	local fifth=$((hz * 3 / 2))
	# SMPTE bars, a white bar sweeping across every 3 s, a dark band with
	# the label, a running SMPTE timecode (HH:MM:SS:FF) and the note.
	local vf="drawbox=x='mod(t*iw/3,iw*1.1)-iw*0.1':y=0:w=iw/10:h=ih*0.62:color=white@0.8:t=fill"
	vf+=",drawbox=x=0:y=ih*0.16:w=iw:h=ih*0.48:color=black@0.65:t=fill"
	vf+=",drawtext=fontfile=$FONT:text='$def $nominal':fontsize=h/7:fontcolor=white:x=(w-tw)/2:y=h*0.2"
	vf+=",drawtext=fontfile=$FONT:timecode='00\\:00\\:00\\:00':rate=$FPS:fontsize=h/11:fontcolor=yellow:x=(w-tw)/2:y=h*0.4"
	vf+=",drawtext=fontfile=$FONT:text='$note':fontsize=h/24:fontcolor=white@0.85:x=(w-tw)/2:y=h*0.54"
	# A ping each second, decaying; right channel a fifth above the left.
	local env="0.35*exp(-6*mod(t,1))"
	"${ff[@]}" \
		-f lavfi -i "smptehdbars=size=$size:rate=$FPS:duration=$DUR" \
		-f lavfi -i "aevalsrc='$env*sin(2*PI*$hz*t)|$env*sin(2*PI*$fifth*t)':sample_rate=44100:duration=$DUR" \
		-vf "$vf" \
		-c:v libx264 -profile:v main -level:v "$level" -pix_fmt yuv420p -preset slower -crf 28 \
		-g $GOP -keyint_min $GOP -sc_threshold 0 \
		-c:a aac -profile:a aac_low -b:a 48k -ac 2 -ar 44100 \
		-movflags +faststart "${bitexact[@]}" "$def.mp4"
	[[ $hls == yes ]] || return 0
	# HLS: the same streams remuxed into MPEG-TS segments, one GOP each.
	mkdir -p "hls/$def"
	"${ff[@]}" -i "$def.mp4" -map 0 -c copy "${bitexact[@]}" \
		-metadata service_provider=vodboard -metadata service_name="vodboard $def" \
		-f hls -hls_time $SEG -hls_list_size 0 -hls_playlist_type vod -start_number 0 \
		-hls_segment_filename "hls/$def/%d.ts" "hls/$def/index.m3u8"
}

# The definitions of ApsaraVideo VOD's PlayInfo with their usual sizes (as
# the demo catalog has them). FD to HD are encoded at their own size; 2K,
# 4K and OD are encoded at 1920×1080 to keep the binary small, and say so.
# OD (the original, untranscoded) is only ever an mp4 in VOD: no HLS.
video FD 640×360 640x360 3.0 330 yes "H.264 + AAC · 640×360"
video LD 960×540 960x540 3.1 392 yes "H.264 + AAC · 960×540"
video SD 1280×720 1280x720 3.1 440 yes "H.264 + AAC · 1280×720"
video HD 1920×1080 1920x1080 4.0 524 yes "H.264 + AAC · 1920×1080"
video 2K 2560×1440 1920x1080 4.0 588 yes "H.264 + AAC · encoded at 1920×1080"
video 4K 3840×2160 1920x1080 4.0 660 yes "H.264 + AAC · encoded at 1920×1080"
video OD original 1920x1080 4.0 784 no "original quality · encoded at 1920×1080"

# Audio: a 5 s stereo chirp, 220 Hz up to 880 Hz on the left and down on
# the right, with short fades so it neither starts nor ends with a click.
chirp="aevalsrc='0.4*sin(2*PI*(220*t+66*t*t))|0.4*sin(2*PI*(880*t-66*t*t))':sample_rate=44100:duration=5"
fades="afade=t=in:d=0.05,afade=t=out:st=4.9:d=0.1"
"${ff[@]}" -f lavfi -i "$chirp" -af "$fades" -c:a libmp3lame -b:a 96k -ac 2 \
	-id3v2_version 0 -write_id3v1 0 "${bitexact[@]}" audio.mp3
"${ff[@]}" -f lavfi -i "$chirp" -af "$fades" -c:a aac -profile:a aac_low -b:a 64k -ac 2 \
	-movflags +faststart "${bitexact[@]}" audio.m4a

echo "bytes  file"
find . -type f \( -name '*.mp4' -o -name '*.mp3' -o -name '*.m4a' -o -name '*.m3u8' -o -name '*.ts' \) \
	-printf '%s\t%P\n' | sort -k2
find . -type f \( -name '*.mp4' -o -name '*.mp3' -o -name '*.m4a' -o -name '*.m3u8' -o -name '*.ts' \) \
	-printf '%s\n' | awk '{s += $1} END {printf "%d\ttotal\n", s}'
