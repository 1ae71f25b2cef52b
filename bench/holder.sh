# Shared by the benchmarks that need one holder: a fresh CA in $work/ca with one employee, a certificate issued for them
# with a generated RSA-2048 key as $work/holder.p12 (password in $work/pw.txt), and the same as PEM ($work/cert.pem,
# $work/key.pem) for openssl. Source it after defining `segel` and `work`.
bench_holder() {
  segel init --data "$work/ca" >/dev/null
  echo "kata-sandi-bench" > "$work/pw.txt"
  python3 bench/staff.py 1 > "$work/staff.csv"
  segel employees import --data "$work/ca" --file "$work/staff.csv" >/dev/null
  segel cert issue --data "$work/ca" --nip 199002022010011001 --reason "Benchmark: pemegang sertifikat uji" --p12 "$work/holder.p12" --password-file "$work/pw.txt" >/dev/null
  openssl pkcs12 -in "$work/holder.p12" -passin file:"$work/pw.txt" -nokeys -clcerts -out "$work/cert.pem" 2>/dev/null
  openssl pkcs12 -in "$work/holder.p12" -passin file:"$work/pw.txt" -nocerts -nodes -out "$work/key.pem" 2>/dev/null
}
