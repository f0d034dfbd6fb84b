# Sourced before `server run|start herald`: turns the operator's environment into the server's.
#  - DATABASE_URL (postgresql://user:password@host:5432/db, postgres://..., jdbc:postgresql:...)
#    becomes HERALD_DB_KIND/HERALD_DB_URL/HERALD_DB_USER/HERALD_DB_PASSWORD, which override the
#    <variable> defaults of server.xml; unset means the embedded H2 database.
#  - HERALD_ADMIN_API_KEY: when unset, a key is generated once into
#    $HERALD_SERVER_OUTPUT_DIR/herald-admin-key (mode 600) and exported.
# Needs HERALD_SERVER_OUTPUT_DIR (the server's output directory).

herald_percent_decode() {
  local s=${1//+/%2B}
  printf '%b' "${s//%/\\x}"
}

herald_database_env() {
  local url=${DATABASE_URL:-}
  [ -z "$url" ] && return 0
  case "$url" in
    jdbc:postgresql:*)
      export HERALD_DB_KIND=postgresql HERALD_DB_URL="$url" HERALD_DB_USER=${HERALD_DB_USER:-} \
        HERALD_DB_PASSWORD=${HERALD_DB_PASSWORD:-}
      ;;
    jdbc:h2:*)
      export HERALD_DB_KIND=h2 HERALD_DB_URL="$url"
      ;;
    postgresql://* | postgres://*)
      local rest=${url#*://} userinfo="" hostpart
      if [[ $rest == *@* ]]; then
        userinfo=${rest%%@*}
        rest=${rest#*@}
      fi
      hostpart=${rest%%/*}
      if [ "$hostpart" = "$rest" ] || [ -z "${rest#*/}" ]; then
        echo "DATABASE_URL must name a database: postgresql://user:password@host:5432/database" >&2
        return 2
      fi
      export HERALD_DB_KIND=postgresql HERALD_DB_URL="jdbc:postgresql://$rest"
      if [ -n "$userinfo" ]; then
        export HERALD_DB_USER="$(herald_percent_decode "${userinfo%%:*}")"
        if [[ $userinfo == *:* ]]; then
          export HERALD_DB_PASSWORD="$(herald_percent_decode "${userinfo#*:}")"
        fi
      fi
      ;;
    *)
      echo "DATABASE_URL must be empty (embedded database), postgresql://user:password@host:5432/database (or postgres://...), or a jdbc:postgresql: or jdbc:h2: URL" >&2
      return 2
      ;;
  esac
}

herald_admin_key_env() {
  HERALD_ADMIN_KEY_GENERATED=""
  if [ -n "${HERALD_ADMIN_API_KEY:-}" ]; then
    return 0
  fi
  local file="$HERALD_SERVER_OUTPUT_DIR/herald-admin-key"
  if [ ! -s "$file" ]; then
    mkdir -p "$HERALD_SERVER_OUTPUT_DIR"
    (umask 077 && printf 'hrk_op_%s\n' \
      "$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" >"$file")
    HERALD_ADMIN_KEY_GENERATED=$file
  fi
  HERALD_ADMIN_API_KEY=$(head -n 1 "$file")
  export HERALD_ADMIN_API_KEY
  HERALD_ADMIN_KEY_FILE=$file
}

herald_database_env && herald_admin_key_env
