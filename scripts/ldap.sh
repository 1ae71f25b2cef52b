# Starts a throwaway OpenLDAP directory (Debian's slapd) on loopback for the tests, as mail clients' certificate
# directory, and stops it. Source it, then:
#   ldap_start   exports SEGEL_TEST_LDAP (ldap://127.0.0.1:PORT), SEGEL_TEST_LDAP_BASE, SEGEL_TEST_LDAP_BIND_DN and
#                SEGEL_TEST_LDAP_PASSWORD_FILE (the writer's password, 0600)
#   ldap_stop
# The package's own server (port 389, /etc/ldap/slapd.d) is left alone: this one runs from a slapd.conf in a temporary
# folder with the standard schemas (core, cosine, inetOrgPerson), an MDB database, a writer that may change
# ou=people and everyone else reading it anonymously, as mail clients search.

ldap_start() {
  local dir port base="dc=tanahbumbukab,dc=go,dc=id" password
  ensure_packages slapd ldap-utils
  port=$(free_port)
  dir=$(mktemp -d /tmp/segel-ldap.XXXXXX)
  mkdir -p "$dir/db"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s' "$password" > "$dir/password"
  chmod 600 "$dir/password"
  cat > "$dir/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $dir/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 104857600
suffix "$base"
rootdn "cn=segel,$base"
rootpw $password
directory $dir/db
index objectClass,mail,uid eq
index cn sub
access to * by dn.exact="cn=segel,$base" write by * read
CONF
  chmod 600 "$dir/slapd.conf"
  slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/" >"$dir/slapd.log" 2>&1 || { cat "$dir/slapd.log" >&2; return 1; }
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  # The suffix and ou=people, as the regency's directory administrator would have made them.
  ldapadd -x -H "ldap://127.0.0.1:$port" -D "cn=segel,$base" -y "$dir/password" >/dev/null <<LDIF || { cat "$dir/slapd.log" >&2; return 1; }
dn: $base
objectClass: dcObject
objectClass: organization
o: Pemerintah Kabupaten Tanah Bumbu
dc: tanahbumbukab

dn: ou=people,$base
objectClass: organizationalUnit
ou: people
LDIF
  export SEGEL_TEST_LDAP="ldap://127.0.0.1:$port" SEGEL_TEST_LDAP_BASE="ou=people,$base" SEGEL_TEST_LDAP_BIND_DN="cn=segel,$base" \
    SEGEL_TEST_LDAP_PASSWORD_FILE="$dir/password" SEGEL_LDAP_DIR="$dir"
  echo "segel: LDAP directory on 127.0.0.1:$port, $SEGEL_TEST_LDAP_BASE" >&2
}

ldap_stop() {
  if [ -n "${SEGEL_LDAP_DIR:-}" ]; then
    [ -f "$SEGEL_LDAP_DIR/slapd.pid" ] && kill "$(cat "$SEGEL_LDAP_DIR/slapd.pid")" 2>/dev/null
    rm -rf "$SEGEL_LDAP_DIR"
  fi
  unset SEGEL_LDAP_DIR
}
