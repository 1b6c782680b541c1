#!/bin/bash
set -u
name="${0##*/}"
state="$FAKE_STATE"
echo "$name $*" >>"$state/calls.log"
case "$name" in
  systemctl)
    args=()
    for a in "$@"; do [[ "$a" == --* ]] || args+=("$a"); done
    verb="${args[0]:-}"; unit="${args[1]:-}"
    mkdir -p "$state/enabled" "$state/active"
    case "$verb" in
      is-enabled) [[ -e "$state/enabled/$unit" ]] ;;
      is-active) [[ -e "$state/active/$unit" ]] ;;
      enable) touch "$state/enabled/$unit" ;;
      start | restart) touch "$state/active/$unit" ;;
      try-restart | daemon-reload) exit 0 ;;
      *) exit 0 ;;
    esac
    ;;
  useradd)
    uid=""; for ((i = 1; i <= $#; i++)); do [[ "${!i}" == --uid ]] && { j=$((i + 1)); uid="${!j}"; }; done
    user="${!#}"
    echo "$user:x:$uid:$uid::/nonexistent:/sbin/nologin" >>"$state/passwd"
    ;;
  getent)
    [[ -f "$state/passwd" ]] || exit 2
    awk -F: -v k="$2" '$1 == k || $3 == k { print; found = 1 } END { exit found ? 0 : 2 }' "$state/passwd"
    ;;
  mount) touch "$state/mounted" ;;
  mountpoint) [[ -e "$state/mounted" ]] ;;
  mkfs.xfs) echo "xfs 0b7e6a52-3f8e-4c59-9d1e-5a7c1d2e3f40" >"$state/fs" ;;
  blkid)
    [[ -f "$state/fs" ]] || exit 2
    read -r type uuid <"$state/fs"
    case "$*" in *TYPE*) echo "$type" ;; *UUID*) echo "$uuid" ;; esac
    ;;
  aws)
    if [[ "$1 $2" == "s3 cp" ]]; then
      args=()
      for a in "${@:3}"; do [[ "$a" == --* ]] || args+=("$a"); done
      src="${args[0]#s3://}"; dest="${args[1]}"
      if [[ " $* " == *" --recursive "* ]]; then
        mkdir -p "$dest"
        [[ -d "$FAKE_S3/$src" ]] && cp -R "$FAKE_S3/$src/." "$dest/"
        exit 0
      fi
      [[ -f "$FAKE_S3/$src" ]] || { echo "fatal error: An error occurred (404) when calling the HeadObject operation" >&2; exit 1; }
      cp "$FAKE_S3/$src" "$dest"
    elif [[ "$1 $2" == "ssm get-parameter" ]]; then
      for ((i = 1; i <= $#; i++)); do [[ "${!i}" == --name ]] && { j=$((i + 1)); pname="${!j}"; }; done
      f="$FAKE_SSM/$(echo "$pname" | tr / _)"
      [[ -f "$f" ]] || { echo "An error occurred (ParameterNotFound)" >&2; exit 254; }
      cat "$f"
    elif [[ "$1 $2" == "ssm put-parameter" ]]; then
      for ((i = 1; i <= $#; i++)); do
        j=$((i + 1))
        [[ "${!i}" == --name ]] && pname="${!j}"
        [[ "${!i}" == --value ]] && pvalue="${!j}"
      done
      f="$FAKE_SSM/$(echo "$pname" | tr / _)"
      if [[ "$pvalue" == file://* ]]; then cat "${pvalue#file://}" >"$f"; else printf '%s' "$pvalue" >"$f"; fi
    else
      exit 1
    fi
    ;;
  *) exit 0 ;;
esac
