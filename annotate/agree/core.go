package agree

// The coefficient cores. They work on counts only, so the textbook examples
// of the tests are fed to exactly the code that Compute uses.

const (
	noteNoUnits     = "undefined: there are no units"
	noteOneCategory = "undefined: every unit has the same category for all annotators"
	noteNoPairable  = "undefined: no unit has values from two coders"
)

// cohen computes Cohen's (1960) kappa from a k×k confusion matrix (rows: the
// first coder's category, columns: the second's). Observed agreement po is
// the diagonal share; expected agreement pe = Σ_c (row_c/n)(col_c/n), each
// coder with its own marginals; kappa = (po − pe)/(1 − pe). When pe = 1 (both
// coders used one and the same category throughout) or there are no units,
// kappa is undefined and note says why.
func cohen(conf []int64, k int) (po, pe, kappa float64, note string) {
	rows := make([]int64, k)
	cols := make([]int64, k)
	var n, diag int64
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			v := conf[i*k+j]
			n += v
			rows[i] += v
			cols[j] += v
			if i == j {
				diag += v
			}
		}
	}
	if n == 0 {
		return 0, 0, 0, noteNoUnits
	}
	var rc int64
	for c := 0; c < k; c++ {
		rc += rows[c] * cols[c]
	}
	fn := float64(n)
	po = float64(diag) / fn
	pe = float64(rc) / (fn * fn)
	if rc == n*n {
		return po, 1, 0, noteOneCategory
	}
	// (po − pe)/(1 − pe) with the common factor n² taken out.
	kappa = (fn*float64(diag) - float64(rc)) / (fn*fn - float64(rc))
	return po, pe, kappa, ""
}

// fleiss computes Fleiss' (1971) kappa for units subjects, each rated by m
// raters. totals[j] is the number of assignments to category j over all
// subjects (Σ_i n_ij) and agreePairs is Σ_i Σ_j n_ij(n_ij − 1), the ordered
// pairs of raters agreeing on a subject. P̄ = agreePairs/(N·m·(m−1)),
// p_j = totals[j]/(N·m), P̄e = Σ_j p_j², kappa = (P̄ − P̄e)/(1 − P̄e).
func fleiss(units int64, m int, totals []int64, agreePairs int64) (pbar, pe, kappa float64, note string) {
	if units == 0 || m < 2 {
		return 0, 0, 0, noteNoUnits
	}
	nm := float64(units) * float64(m)
	pbar = float64(agreePairs) / (nm * float64(m-1))
	used := 0
	var sq float64
	for _, t := range totals {
		if t > 0 {
			used++
		}
		sq += float64(t) * float64(t)
	}
	pe = sq / (nm * nm)
	if used <= 1 {
		return pbar, 1, 0, noteOneCategory
	}
	kappa = (pbar - pe) / (1 - pe)
	return pbar, pe, kappa, ""
}

// coincidences accumulates Krippendorff's coincidence matrix for nominal
// data over a "units × coders" table that may have missing values: within a
// unit u with m_u ≥ 2 values, every ordered pair of values from two different
// coders adds 1/(m_u − 1) to o[c][k]. Pair counts are kept as integers per
// m_u and divided only at the end.
type coincidences struct {
	k   int
	byM [][]int64 // byM[m]: ordered value pairs from units with m values
}

func newCoincidences(k int) *coincidences { return &coincidences{k: k} }

func (c *coincidences) table(m int) []int64 {
	for len(c.byM) <= m {
		c.byM = append(c.byM, nil)
	}
	if c.byM[m] == nil {
		c.byM[m] = make([]int64, c.k*c.k)
	}
	return c.byM[m]
}

// addUnit adds one unit: vals holds one value per coder, negative = missing.
// Units with fewer than two values are not pairable and add nothing.
func (c *coincidences) addUnit(vals []int) {
	m := 0
	for _, v := range vals {
		if v >= 0 {
			m++
		}
	}
	if m < 2 {
		return
	}
	t := c.table(m)
	for i, vi := range vals {
		if vi < 0 {
			continue
		}
		for j, vj := range vals {
			if j != i && vj >= 0 {
				t[vi*c.k+vj]++
			}
		}
	}
}

// addPairs adds the ordered value pairs (k×k, already counted both ways) of
// units that all have exactly m values: the bulk form of addUnit.
func (c *coincidences) addPairs(m int, ordered []int64) {
	t := c.table(m)
	for i, v := range ordered {
		t[i] += v
	}
}

// matrix is the coincidence matrix o (k×k).
func (c *coincidences) matrix() []float64 {
	o := make([]float64, c.k*c.k)
	for m, t := range c.byM {
		if t == nil {
			continue
		}
		d := float64(m - 1)
		for i, v := range t {
			o[i] += float64(v) / d
		}
	}
	return o
}

// alphaNominal computes Krippendorff's alpha for nominal data from a
// coincidence matrix: n_c = Σ_k o_ck, n = Σ_c n_c,
// alpha = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
// It also returns the observed agreement Σ_c o_cc / n. Alpha is undefined
// when there are no pairable values or the expected disagreement is 0 (a
// single category).
func alphaNominal(o []float64, k int) (alpha, observed float64, note string) {
	nc := make([]float64, k)
	var n, dis, diag float64
	for c := 0; c < k; c++ {
		for j := 0; j < k; j++ {
			v := o[c*k+j]
			nc[c] += v
			if c != j {
				dis += v
			} else {
				diag += v
			}
		}
		n += nc[c]
	}
	if n == 0 {
		return 0, 0, noteNoPairable
	}
	observed = diag / n
	var sq float64
	for _, v := range nc {
		sq += v * v
	}
	exp := n*n - sq // Σ_{c≠k} n_c n_k
	if exp <= 0 {
		return 0, observed, noteOneCategory
	}
	return 1 - (n-1)*dis/exp, observed, ""
}
