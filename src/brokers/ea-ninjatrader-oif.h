/* ea-ninjatrader-oif.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * NinjaTrader 8's Automated Trading Interface files (PROTOCOLS.md §3):
 * order instruction lines for the `incoming` folder (always 13 fields
 * separated by ';', prices with a decimal point whatever the locale), the
 * files NinjaTrader writes into `outgoing` (order state, position,
 * connection), instrument names both ways, and writing an instruction
 * file so that NinjaTrader never sees half of it. Shared by the adapter
 * and the local processor of the tests.
 */
#pragma once

#include <gio/gio.h>

#include "ea-core-types.h"
#include "ea-instrument.h"
#include "ea-order-state.h"

G_BEGIN_DECLS

#define EA_NT_ERROR (ea_nt_error_quark ())

typedef enum
{
  EA_NT_ERROR_MALFORMED,        /* a line or file that does not parse */
  EA_NT_ERROR_INVALID,          /* an instruction that cannot be written */
  EA_NT_ERROR_UNKNOWN_INSTRUMENT,
  EA_NT_ERROR_IO,
} EaNtError;

/* Fields of an instruction line, the command included. */
#define EA_NT_OIF_N_FIELDS 13

/* The two words seen for a stop-market order: NT7's documentation says
 * STOP, the NT8 tables in circulation say STOPMARKET. Both are read. */
#define EA_NT_STOP_KEYWORD_NT8 "STOPMARKET"
#define EA_NT_STOP_KEYWORD_NT7 "STOP"

typedef enum
{
  EA_NT_COMMAND_PLACE,
  EA_NT_COMMAND_CHANGE,
  EA_NT_COMMAND_CANCEL,
  EA_NT_COMMAND_CANCELALLORDERS,
  EA_NT_COMMAND_CLOSEPOSITION,
  EA_NT_COMMAND_CLOSESTRATEGY,
  EA_NT_COMMAND_FLATTENEVERYTHING,
  EA_NT_COMMAND_REVERSEPOSITION,
} EaNtCommand;

/* One instruction. Strings are owned; NULL (or 0 for numbers, FALSE for
 * the has_ flags) is an empty position on the line. Prices are text with
 * a decimal point, exactly as on the line (see ea_nt_format_price()). */
typedef struct
{
  EaNtCommand    command;
  char          *account;
  char          *instrument;
  EaSide         action;      /* 0: empty */
  gint64         qty;         /* CHANGE: 0 keeps the quantity */
  gboolean       has_type;
  EaOrderType    type;
  char          *limit_price; /* CHANGE: "0" keeps the price */
  char          *stop_price;
  gboolean       has_tif;
  EaTimeInForce  tif;
  char          *oco_id;
  char          *order_id;
  char          *strategy;    /* ATM template name */
  char          *strategy_id;
} EaNtInstruction;

/* NinjaTrader's OrderState values, as they appear in order-state files. */
typedef enum
{
  EA_NT_ORDER_INITIALIZED,
  EA_NT_ORDER_SUBMITTED,
  EA_NT_ORDER_ACCEPTED,
  EA_NT_ORDER_TRIGGER_PENDING,
  EA_NT_ORDER_WORKING,
  EA_NT_ORDER_CHANGE_PENDING,
  EA_NT_ORDER_CHANGE_SUBMITTED,
  EA_NT_ORDER_CANCEL_PENDING,
  EA_NT_ORDER_CANCEL_SUBMITTED,
  EA_NT_ORDER_CANCELLED,
  EA_NT_ORDER_REJECTED,
  EA_NT_ORDER_PART_FILLED,
  EA_NT_ORDER_FILLED,
  EA_NT_ORDER_UNKNOWN,
} EaNtOrderState;

/* `<ORDER ID>.txt`: STATE;FilledQty;AvgFillPrice. */
typedef struct
{
  EaNtOrderState state;
  gint64         filled_qty;
  double         avg_fill_price;  /* price units, 0 when nothing filled */
} EaNtOrderFile;

/* `<instrument>[ <exchange>]_<account>_Position.txt`:
 * LONG|SHORT|FLAT;Qty;AvgPrice. */
typedef struct
{
  gint64 qty;                     /* signed: > 0 long, < 0 short */
  double avg_price;               /* price units */
} EaNtPositionFile;

typedef enum
{
  EA_NT_FILE_OTHER,
  EA_NT_FILE_ORDER,               /* name: the ORDER ID */
  EA_NT_FILE_POSITION,            /* name: instrument; account */
  EA_NT_FILE_CONNECTION,          /* name: the connection name */
} EaNtFileKind;

GQuark           ea_nt_error_quark            (void);

void             ea_nt_instruction_free       (EaNtInstruction       *instruction);
const char      *ea_nt_command_to_string      (EaNtCommand            command);

/* The line for @instruction, with exactly 13 fields and no line end.
 * @stop_keyword: the word written for a stop-market order (NULL:
 * EA_NT_STOP_KEYWORD_NT8). EA_NT_ERROR_INVALID when a required field is
 * missing or a field holds ';' or a line break. */
char            *ea_nt_instruction_format     (const EaNtInstruction *instruction,
                                               const char            *stop_keyword,
                                               GError               **error);
/* Reads one line (a trailing "\r\n" or "\n" is ignored): exactly 13
 * fields, the command and the words case-insensitive, both stop
 * keywords. EA_NT_ERROR_MALFORMED otherwise. */
EaNtInstruction *ea_nt_instruction_parse      (const char            *line,
                                               GError               **error);

/* "6800.25" for ES: the instrument's exact decimals with a decimal point,
 * never the locale's separator. */
char            *ea_nt_format_price           (const EaInstrumentSpec *spec,
                                               EaTicks                 ticks);
/* Reads a price of an instruction line into ticks. Only a decimal point
 * is accepted; a price off the tick grid is EA_NT_ERROR_INVALID. */
gboolean         ea_nt_parse_price            (const EaInstrumentSpec *spec,
                                               const char             *text,
                                               EaTicks                *out,
                                               GError                **error);

/* Instrument names: a contract in @symbology ("ES 12-26" for
 * EA_SYMBOLOGY_NINJATRADER). Parsing accepts every form of
 * ea_contract_parse_any() and NinjaTrader's form followed by an exchange
 * ("ES 12-26 Globex"). */
char            *ea_nt_instrument_format      (const EaContract       *contract,
                                               EaSymbology             symbology);
gboolean         ea_nt_instrument_parse       (const char             *name,
                                               guint32                 reference_day,
                                               EaContract             *out,
                                               GError                **error);

/* Order states. The canonical word is upper case ("PARTFILLED"). Reading
 * is case-insensitive and knows NinjaTrader's enum names and a few
 * spellings ("PartiallyFilled", "Canceled"); @aliases adds more, as
 * "WORD=CANONICAL" strings (NULL for none). */
const char      *ea_nt_order_state_to_word    (EaNtOrderState         state);
gboolean         ea_nt_order_state_from_word  (const char             *word,
                                               const char * const     *aliases,
                                               EaNtOrderState         *out);
/* The desk's state for NinjaTrader's: ACCEPTED and TRIGGERPENDING are
 * resting orders (WORKING), the *SUBMITTED / *PENDING states of a change
 * or cancel are PENDING_REPLACE / PENDING_CANCEL. */
EaOrderState     ea_nt_order_state_to_ea      (EaNtOrderState         state);
gboolean         ea_nt_order_state_is_terminal (EaNtOrderState        state);

/* Outgoing files. Surrounding whitespace and a trailing line end are
 * ignored; a price may use a decimal point or a decimal comma. */
gboolean         ea_nt_parse_order_file       (const char             *contents,
                                               const char * const     *aliases,
                                               EaNtOrderFile          *out,
                                               GError                **error);
gboolean         ea_nt_parse_position_file    (const char             *contents,
                                               EaNtPositionFile       *out,
                                               GError                **error);
gboolean         ea_nt_parse_connection_file  (const char             *contents,
                                               gboolean               *connected,
                                               GError                **error);

/* What a file of `outgoing` is, from its name. @connection_name decides
 * which `<name>.txt` is the connection file (NULL or "": none). @name and
 * @account (optional) receive the ORDER ID, the instrument (exchange
 * included, as written) or the connection name. */
EaNtFileKind     ea_nt_classify_outgoing      (const char             *basename,
                                               const char             *connection_name,
                                               char                  **name,
                                               char                  **account);
/* "<instrument>_<account>_Position.txt". */
char            *ea_nt_position_file_name     (const char             *instrument,
                                               const char             *account);

/* Writes @contents to a hidden temporary file in @dir and renames it to
 * `oif<stamp>-<n>.txt` (n zero-padded, increased until the name is free),
 * so NinjaTrader only ever sees a complete file. @counter is incremented
 * per attempt. Returns the final base name. */
char            *ea_nt_write_instruction_file (GFile                  *dir,
                                               const char             *stamp,
                                               guint64                *counter,
                                               const char             *contents,
                                               GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EaNtInstruction, ea_nt_instruction_free)

G_END_DECLS
