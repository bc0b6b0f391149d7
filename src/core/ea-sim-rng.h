/* ea-sim-rng.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small, seedable, fast random generator for the simulated exchange:
 * xoshiro256** seeded through splitmix64, so a seed gives the same stream
 * on every platform and GLib version.
 */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
  double  spare;       /* second normal of the polar method */
  gboolean has_spare;
} EaSimRng;

static inline guint64
ea_sim_rng_splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline void
ea_sim_rng_seed (EaSimRng *rng,
                 guint64   seed)
{
  guint64 x = seed;

  for (guint i = 0; i < 4; i++)
    rng->s[i] = ea_sim_rng_splitmix64 (&x);
  rng->has_spare = FALSE;
  rng->spare = 0.0;
}

static inline guint64
ea_sim_rng_rotl (guint64 x,
                 int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
ea_sim_rng_next (EaSimRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = ea_sim_rng_rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = ea_sim_rng_rotl (s[3], 45);

  return result;
}

/* Uniform in [0, 1). */
static inline double
ea_sim_rng_uniform (EaSimRng *rng)
{
  return (double) (ea_sim_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Uniform in (0, 1]: safe for log(). */
static inline double
ea_sim_rng_uniform_pos (EaSimRng *rng)
{
  return ((double) (ea_sim_rng_next (rng) >> 11) + 1.0) * 0x1.0p-53;
}

/* Exponential with mean 1. */
static inline double
ea_sim_rng_exponential (EaSimRng *rng)
{
  return -log (ea_sim_rng_uniform_pos (rng));
}

/* Standard normal (Marsaglia's polar method). */
static inline double
ea_sim_rng_normal (EaSimRng *rng)
{
  double u, v, s;

  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare;
    }

  do
    {
      u = 2.0 * ea_sim_rng_uniform (rng) - 1.0;
      v = 2.0 * ea_sim_rng_uniform (rng) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);

  s = sqrt (-2.0 * log (s) / s);
  rng->spare = v * s;
  rng->has_spare = TRUE;

  return u * s;
}

G_END_DECLS
