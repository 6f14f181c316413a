/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: xinwen's command line: options, locale, loading, then a mode. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "app_marks.h"
#include "cli.h"
#include "index.h"
#include "collection.h"
#include "configfile.h"
#include "decode.h"
#include "exitcode.h"
#include "i18n.h"
#include "format.h"
#include "keymap.h"
#include "loader.h"
#include "log.h"
#include "marks.h"
#include "reload.h"
#include "startup.h"
#include "tui.h"
#include "zipcoll.h"

enum mode {
	MODE_READ,
	MODE_LIST,
	MODE_DUMP,
	MODE_CHECK,
	MODE_SEARCH,
	MODE_SEARCH_QUICK, /* --search answered from the index and the catalog alone */
	MODE_INDEX,
	MODE_RELATED,
	MODE_CHECK_CONFIG,
	MODE_CACHE,
};

static void usage(FILE *f)
{
	struct strbuf keys = {0};

	fputs(_("Usage: xinwen [OPTIONS] [PATH...]\n"
		"Read a collection of news articles in the terminal: a headline list, a reading\n"
		"pane, and links between related stories.\n"
		"\n"
		"PATH is an article file or a directory searched for *.txt files, or - for\n"
		"standard input; with no PATH, the bundled collection is opened.\n"
		"\n"),
	      f);
	fputs(_("A PATH may also be a zip archive (THUCNews.zip), read without unpacking it\n"
		"(see FORMATS in xinwen(1)).\n"
		"\n"),
	      f);
	fputs(_("Options:\n"), f);
	fputs(_("  --list             print one line per article: id, date, kind, title "
		"(TAB-separated)\n"),
	      f);
	fputs(_("                     exit 1 if none for problems with the files (said on "
		"stderr)\n"),
	      f);
	fputs(_("  --unread, --bookmarked\n"
		"                     with --list: only the unread full articles, or only the\n"
		"                     bookmarked ones (the reader's marks; both: both at once)\n"),
	      f);
	fputs(_("  --json             make --list print one JSON object per line: id, date, "
		"source,\n"
		"                     kind, title, path, url, read, bookmarked\n"),
	      f);
	fputs(_("  --dump ID|TITLE    print the lines the reading pane shows for an article\n"), f);
	fputs(_("  --width N          width for --dump (default: the terminal's, else 80)\n"), f);
	fputs(_("  --check            report every problem in the collection, then a summary;\n"
		"                     exit 1 if any (related headlines the collection lacks\n"
		"                     and files read in an encoding detected are counted,\n"
		"                     not problems)\n"),
	      f);
	fputs(_("  --verbose          with --check, list those headlines and files too\n"), f);
	fputs(_("  --search QUERY     print the articles that contain QUERY (--list lines), each\n"
		"                     followed by a TAB and the match in context, >>marked<<;\n"
		"                     ignores case, width and Traditional/Simplified form;\n"
		"                     exit 1 if nothing matches\n"
		"                     QUERY may hold fields: source:TEXT, title:TEXT,\n"
		"                     date:YYYY[-MM[-DD]] and date:FROM..TO; uses the search\n"
		"                     index when it is up to date (else scans, said on stderr)\n"),
	      f);
	fputs(_("  --regex            make --search's QUERY a PCRE2 regular expression\n"), f);
	fputs(_("  --count            with --search, print only the number of matching articles\n"),
	      f);
	fputs(_("  --index            build or update the search index of the collection in\n"
		"                     $XDG_CACHE_HOME/xinwen (a progress bar on a terminal)\n"),
	      f);
	fputs(_("  --related ID|TITLE print what an article cites, what cites it and its most\n"
		"                     similar stories with their similarity (--list lines, each\n"
		"                     after 'cites', 'cited-by' or 'similar' and a TAB)\n"),
	      f);
	fputs(_("  --no-cache         load every file and compute similar stories afresh: do\n"
		"                     not read or write the catalog of the collection (which\n"
		"                     --list, --dump, --related, --check, --search and\n"
		"                     --index take when no file changed since), its similar\n"
		"                     stories' index or its search index in\n"
		"                     $XDG_CACHE_HOME/xinwen\n"),
	      f);
	fputs(_("  --cache            list what is cached per collection, with sizes\n"), f);
	fputs(_("  --clear            with --cache, remove it\n"), f);
	fputs(_("  --config FILE      read settings from FILE instead of\n"
		"                     $XDG_CONFIG_HOME/xinwen/config (see xinwen(5))\n"),
	      f);
	fputs(_("  --check-config [FILE]\n"
		"                     report every problem in the config file as FILE:LINE:\n"
		"                     message; exit 1 if any, 2 if it cannot be read\n"),
	      f);
	fputs(_("  --format FORMAT    read the files as native, thucnews, jsonl or sogou\n"
		"                     (default: auto, detected per file; see FORMATS in "
		"xinwen(1))\n"),
	      f);
	fputs(_("  --encoding NAME    the files' encoding, any name iconv knows (gb18030, big5),\n"
		"                     or auto (the default): UTF-8, else Big5 or GB18030 as\n"
		"                     detected (uchardet; --check says which)\n"),
	      f);
	fputs(_("  -v, --log          write a debug log of what the reader does beside the screen\n"
		"                     (its threads, the files, catalog and config read) to\n"
		"                     $XDG_STATE_HOME/xinwen/xinwen-PID.log, named on stderr at\n"
		"                     exit; -vv: each file read too\n"),
	      f);
	fputs(_("  -h, --help         show this help and exit\n"), f);
	fputs(_("  -V, --version      show the version and exit\n"), f);
	fputs(_("\n"
		"Exit status: 0 done or found, 1 nothing matched (--search) or problems found\n"
		"(--check, --check-config), 2 an error (an unreadable path is named on stderr).\n"
		"\n"
		"Keys:\n"),
	      f);
	keymap_help_text(&keys);
	fputs(sb_cstr(&keys), f);
	sb_free(&keys);
	fputs(_("\nSee xinwen(1) for the file format and more, xinwen(5) for the config file.\n"),
	      f);
	fprintf(f, _("Report bugs to: %s\n"), PACKAGE_BUGREPORT);
}

#ifdef HAVE_OPENCC
#define HAVE_OPENCC_FLAG true
#else
#define HAVE_OPENCC_FLAG false
#endif
#ifdef HAVE_JANSSON
#define HAVE_JANSSON_FLAG true
#else
#define HAVE_JANSSON_FLAG false
#endif
#ifdef HAVE_UCHARDET
#define HAVE_UCHARDET_FLAG true
#else
#define HAVE_UCHARDET_FLAG false
#endif
#ifdef HAVE_LIBZIP
#define HAVE_LIBZIP_FLAG true
#else
#define HAVE_LIBZIP_FLAG false
#endif

/* --version: the version, then the optional features built in (+) or not (-). */
static void version(void)
{
	puts(PACKAGE_STRING);
	static const struct {
		const char *name;
		bool in;
	} features[] = {
		{"opencc", HAVE_OPENCC_FLAG},
		{"jansson", HAVE_JANSSON_FLAG},
		{"uchardet", HAVE_UCHARDET_FLAG},
		{"libzip", HAVE_LIBZIP_FLAG},
	};
	fputs("Features:", stdout);
	for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
		printf(" %c%s", features[i].in ? '+' : '-', features[i].name);
	putchar('\n');
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("xinwen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, _(fmt), ap); /* po/Makevars: usage_error:1 */
	va_end(ap);
	fputs(_("\nTry 'xinwen --help'.\n"), stderr);
	return EXIT_TROUBLE;
}

/* Whether the locale asked for (LC_ALL, else LC_CTYPE, else LANG) names UTF-8. */
static bool asks_for_utf8(void)
{
	const char *names[] = {"LC_ALL", "LC_CTYPE", "LANG"};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *v = getenv(names[i]);
		if (!v || !*v)
			continue;
		for (; *v; v++)
			if ((v[0] | 0x20) == 'u' && (v[1] | 0x20) == 't' && (v[2] | 0x20) == 'f' &&
			    (v[3] == '8' || (v[3] == '-' && v[4] == '8')))
				return true;
		return false;
	}
	return false;
}

/* Use the user's locale; it must be UTF-8 for the reader. Script modes fall back to
 * C.UTF-8 so that widths are measured right whatever the caller's locale; so does the
 * reader when the locale asked for is a UTF-8 one that is not installed (common in
 * containers: LANG=zh_CN.UTF-8 without its locale data). */
static int setup_locale(enum mode mode)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") == 0)
		return 0;
	if ((mode != MODE_READ || asks_for_utf8()) && setlocale(LC_CTYPE, "C.UTF-8"))
		return 0;
	fprintf(stderr,
		_("xinwen: the locale's character set is %s, not UTF-8; set LANG or LC_ALL to a "
		  "UTF-8 locale (for example C.UTF-8)\n"),
		nl_langinfo(CODESET));
	return EXIT_TROUBLE;
}

/* Messages in the language of LC_MESSAGES and LANGUAGE, from the catalogs in LOCALEDIR
 * (or XINWEN_LOCALEDIR: the tests' build tree), always in UTF-8 as the reader is. */
static void setup_messages(void)
{
	const char *dir = getenv("XINWEN_LOCALEDIR");

	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

/* Read the time zone once. With TZ unset, glibc's mktime looks at /etc/localtime again
 * on every call (a stat each time), and libzip calls it for every member of an archive
 * it opens (836,075 times for THUCNews.zip); TZ=":/etc/localtime" names the same zone
 * and is read once. */
static void setup_timezone(void)
{
	if (!getenv("TZ") && access("/etc/localtime", R_OK) == 0)
		setenv("TZ", ":/etc/localtime", 0);
	tzset();
}

static int terminal_width(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static bool is_directory(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The bundled collection: the installed one, else the source tree's. */
static const char *bundled_collection(void)
{
	const char *env = getenv("XINWEN_DATADIR");
	if (env && *env)
		return env;
	return is_directory(PKGDATADIR) ? PKGDATADIR : SRCDATADIR;
}

/* After the collection was read from standard input, take the keys from the terminal
 * (as less does); false, with a message, when there is none. */
static bool keys_from_tty(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
		fprintf(stderr,
			_("xinwen: /dev/tty (the collection was read from standard input): %s\n"),
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return true;
}

/* --list --json, with the read marks and bookmarks of the state file (read only); with
 * --unread or --bookmarked, only the articles those keep. */
static int list_json(const struct collection *c, bool unread, bool bookmarked)
{
	struct marks marks;

	cli_marks_load(&marks, stderr);
	int status = cli_list_json(c, &marks, unread, bookmarked, stdout, stderr);
	marks_free(&marks);
	return status;
}

static int parse_width(const char *s, int *width)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 10000)
		return usage_error("--width takes a number from 1 to 10000, not '%s'", s);
	*width = (int)v;
	return 0;
}

static int run_reader(const struct collection *c, const struct config *cfg, bool use_cache,
		      struct reload *first_reload, const char *note,
		      const struct app_source *source)
{
	struct app a;
	app_init(&a, c, 24, 80);
	/* the search index, built beside the reader */
	a.search.index_key = use_cache ? source->key : 0;
	a.reload.first = first_reload;
	a.reload.source = source;
	a.reload.every = cfg->reload_check;
	a.opts.config = cfg;
	a.opts.osc52 = cfg->osc52;
	a.opts.preview_read = cfg->preview_read;
	if (cfg->sort != SORT_DATE) {
		app_set_sort(&a, cfg->sort);
		app_apply(&a, ACTION_TOP, 0); /* start on the first headline of that order */
	}
	a.similar.cache_wanted = use_cache; /* once the first screen is drawn */
	/* Links to stories outside the collection and files in another encoding are
	 * normal; broken files are not. */
	size_t errors = collection_problems(c);
	if (errors)
		snprintf(a.message, sizeof a.message,
			 ngettext("%zu problem while loading: xinwen --check",
				  "%zu problems while loading: xinwen --check", errors),
			 errors);
	/* A member of an archive skipped as too large to read compressed: how to unpack it,
	 * on the screen too (the details are --check's). */
	for (size_t i = 0; i < c->diags.n; i++) {
		const struct diag *d = &c->diags.v[i];
		const char *cmd = strstr(d->msg, ZIPCOLL_UNPACK), *member = d->file;
		size_t n = d->file_no < c->files.n ? strlen(c->files.v[d->file_no].path) : 0;
		if (!cmd)
			continue;
		if (n && strncmp(member, c->files.v[d->file_no].path, n) == 0 && member[n] == ':')
			member += n + 1; /* ARCHIVE:MEMBER */
		snprintf(a.message, sizeof a.message,
			 _("%s skipped: too large to read compressed; %s"), member, cmd);
	}
	if (note && *note)
		snprintf(a.message, sizeof a.message, "%s", note);
	config_status_message(cfg, a.message, sizeof a.message); /* first, the rest after */
	/* Read marks and bookmarks: $XDG_STATE_HOME/xinwen/state, saved again at exit. */
	app_marks_open_default(&a, stderr);
	app_prompts_open_default(&a); /* the prompts' history, from the same directory */
	int status = tui_run(&a);
	app_marks_save(&a, stderr); /* a failure is reported; it is no reason to fail */
	if (!app_prompts_save(&a))
		fprintf(stderr, "xinwen: %s\n", a.message);
	struct reload *reloading = a.reload.loading, *reloaded = a.reload.shown;
	if (reload_writing(a.reload.first) || reload_writing(reloaded))
		fputs(_("xinwen: writing the catalog, for a quick start next time...\n"), stderr);
	app_free(&a);
	app_reload_free(reloading, reloaded); /* the collection shown may be theirs */
	return status;
}

/* Load the config file (path, else the default one, whose absence is no problem) into
 * cfg and apply it; returns false when it could not be read. */
static bool load_config(struct config *cfg, const char *path)
{
	char *def = path ? NULL : config_default_path();
	bool ok = true;

	config_init(cfg);
	if (path || def)
		ok = config_load(cfg, path ? path : def, path == NULL);
	free(def);
	config_apply(cfg);
	return ok;
}

/* --check-config: print the config file's problems; EXIT_OK when clean, EXIT_NO_MATCH
 * when it has problems, EXIT_TROUBLE when it cannot be read. */
static int check_config(const char *path)
{
	struct config cfg;
	char *def = path ? NULL : config_default_path();
	int status;

	config_init(&cfg);
	if (!path && !def) {
		fputs(_("xinwen: neither XDG_CONFIG_HOME nor HOME is set: no config file\n"),
		      stderr);
		status = EXIT_TROUBLE;
	} else if (!path && access(def, F_OK) != 0 && errno == ENOENT) {
		/* TRANSLATORS: followed by the file's name, then the next message. */
		fputs(_("xinwen: no config file "), stderr);
		text_put_name(stderr, def, strlen(def));
		fputs(_(": the defaults are in use\n"), stderr);
		status = EXIT_OK;
	} else {
		status = config_load(&cfg, path ? path : def, false) ? EXIT_OK : EXIT_TROUBLE;
		if (cli_print_config_problems(&cfg, stderr) && status == EXIT_OK)
			status = EXIT_NO_MATCH;
	}
	free(def);
	config_free(&cfg);
	return status;
}

/* Open the debug log (-v, level: how many) in the state directory; when it cannot be,
 * say why on stderr and go on without it. */
static void open_log(int level, int argc, char **argv)
{
	struct strbuf dir = {0}, why = {0};

	if (!marks_default_dir(&dir))
		sb_puts(&why, _("neither XDG_STATE_HOME nor HOME is set"));
	else if (log_open(dir.s, level, &why))
		log_debug("xinwen %s, pid %ld, log level %d", VERSION, (long)getpid(), level);
	for (int i = 0; log_path() && i < argc; i++)
		log_debug("argv[%d]: %s", i, argv[i]);
	if (!log_path()) {
		fputs(_("xinwen: no debug log: "), stderr);
		text_put_safe(stderr, why.s, why.n);
		fputc('\n', stderr);
	}
	sb_free(&dir);
	sb_free(&why);
}

/* Close the debug log, if open, naming it on stderr. */
static void close_log(int status)
{
	const char *path = log_path();

	if (!path)
		return;
	log_debug("exit %d", status);
	fputs(_("xinwen: debug log: "), stderr);
	text_put_name(stderr, path, strlen(path));
	fputc('\n', stderr);
	log_close();
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"list", no_argument, NULL, 'l'},
		{"dump", required_argument, NULL, 'd'},
		{"width", required_argument, NULL, 'w'},
		{"check", no_argument, NULL, 'c'},
		{"search", required_argument, NULL, 's'},
		{"regex", no_argument, NULL, 'r'},
		{"related", required_argument, NULL, 'R'},
		{"no-cache", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{"config", required_argument, NULL, 'C'},
		{"check-config", no_argument, NULL, 'K'},
		{"format", required_argument, NULL, 'F'},
		{"encoding", required_argument, NULL, 'E'},
		{"verbose", no_argument, NULL, 'H'},
		{"log", no_argument, NULL, 'v'},
		{"unread", no_argument, NULL, 'U'},
		{"bookmarked", no_argument, NULL, 'B'},
		{"json", no_argument, NULL, 'J'},
		{"cache", no_argument, NULL, 'A'},
		{"clear", no_argument, NULL, 'X'},
		{"index", no_argument, NULL, 'I'},
		{"count", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	enum mode mode = MODE_READ;
	const char *dump_key = NULL, *query = NULL;
	const char *config_path = NULL;
	bool regex = false, help = false, use_cache = true, verbose = false, unread = false,
	     bookmarked = false, json = false, clear = false, count = false;
	struct load_opts load = {.format = FORMAT_AUTO, .lean = LEAN_HASHED};
	int width = 0, opt, log_level = 0;

	setup_messages();
	setup_timezone();
	while ((opt = getopt_long(argc, argv, "hVv", options, NULL)) != -1) {
		switch (opt) {
		case 'l': mode = MODE_LIST; break;
		case 'd': mode = MODE_DUMP, dump_key = optarg; break;
		case 'c': mode = MODE_CHECK; break;
		case 's': mode = MODE_SEARCH, query = optarg; break;
		case 'r': regex = true; break;
		case 'H': verbose = true; break;
		case 'v': log_level++; break;
		case 'U': unread = true; break;
		case 'B': bookmarked = true; break;
		case 'J': json = true; break;
		case 'A': mode = MODE_CACHE; break;
		case 'X': clear = true; break;
		case 'n': count = true; break;
		case 'I': mode = MODE_INDEX; break;
		case 'R': mode = MODE_RELATED, dump_key = optarg; break;
		case 'N': use_cache = false; break;
		case 'w':
			if (parse_width(optarg, &width))
				return EXIT_TROUBLE;
			break;
		case 'C': config_path = optarg; break;
		case 'K': mode = MODE_CHECK_CONFIG; break;
		case 'h': help = true; break;
		case 'F':
			if (!format_from_name(optarg, &load.format))
				return usage_error(
					"--format takes auto, native, thucnews, jsonl or "
					"sogou, not '%s'",
					optarg);
			break;
		case 'E':
			if (decode_is_auto(optarg)) {
				load.encoding = NULL;
				break;
			}
			if (!decode_known(optarg))
				return usage_error("unknown encoding '%s' (iconv does not know it; "
						   "try gb18030 or big5)",
						   optarg);
			load.encoding = optarg;
			break;
		case 'V': version(); return EXIT_OK;
		default: fputs(_("Try 'xinwen --help'.\n"), stderr); return EXIT_TROUBLE;
		}
	}
	if (mode == MODE_CHECK_CONFIG) {
		if (argc - optind > 1)
			return usage_error("--check-config takes at most one FILE");
		setup_locale(mode);
		return check_config(optind < argc ? argv[optind] : config_path);
	}
	struct config cfg;
	if (help) {
		load_config(&cfg, config_path);
		usage(stdout);
		config_free(&cfg);
		return EXIT_OK;
	}
	if (regex && mode != MODE_SEARCH)
		return usage_error("--regex goes with --search QUERY");
	if (verbose && mode != MODE_CHECK)
		return usage_error("--verbose goes with --check");
	if ((unread || bookmarked) && mode != MODE_LIST)
		return usage_error("--unread and --bookmarked go with --list");
	if (json && mode != MODE_LIST)
		return usage_error("--json goes with --list");
	if (clear && mode != MODE_CACHE)
		return usage_error("--clear goes with --cache");
	if (mode == MODE_CACHE) {
		if (optind < argc)
			return usage_error("--cache takes no PATH");
		setup_locale(mode);
		return cli_cache(clear, stdout, stderr);
	}
	if (count && mode != MODE_SEARCH)
		return usage_error("--count goes with --search QUERY");
	if (mode == MODE_INDEX && !use_cache)
		return usage_error("--index keeps the index in the cache: not with --no-cache");
	if (mode == MODE_SEARCH && *query == '\0')
		return usage_error("--search needs a query that is not empty");
	if (setup_locale(mode))
		return EXIT_TROUBLE;
	if (log_level)
		open_log(log_level, argc, argv);
	if (mode == MODE_READ)
		load_config(&cfg, config_path);
	else
		config_init(&cfg);

	/* A plain list and a check show nothing an article's identity is needed for (the
	 * marks, --json's "identity"): the bodies left in their files are not hashed. */
	if ((mode == MODE_LIST && !json && !unread && !bookmarked) || mode == MODE_CHECK)
		load.lean = LEAN_UNHASHED;
	/* The reader starts from the catalog of these paths when there is a good one. */
	char *bundled[] = {(char *)(uintptr_t)bundled_collection(), NULL};
	struct startup_opts so = {
		.reader = mode == MODE_READ,
		.scripted = mode == MODE_LIST || mode == MODE_DUMP || mode == MODE_RELATED ||
			    mode == MODE_CHECK || mode == MODE_SEARCH || mode == MODE_INDEX,
		.indexed = mode == MODE_SEARCH || mode == MODE_INDEX,
		.canonical_names = mode == MODE_READ || mode == MODE_RELATED || mode == MODE_INDEX,
		.part_first = mode == MODE_READ ? STARTUP_PART_FIRST : 0,
		.part_above = STARTUP_PART_ABOVE,
		.use_cache = use_cache,
		.cache_err = mode == MODE_RELATED || mode == MODE_SEARCH || mode == MODE_INDEX
				     ? stderr
				     : NULL,
		.cache_days = cfg.cache_days,
		.load = &load,
	};
	struct startup s;
	if (optind == argc)
		startup_begin(&s, bundled, 1, &so);
	else
		startup_begin(&s, argv + optind, (size_t)(argc - optind), &so);
	/* --search answers from the index and the catalog alone when both are up to date. */
	int status = -1;
	bool map_wanted = false;
	if (mode == MODE_SEARCH && s.indexed)
		status = cli_search_quick(s.key, s.catalog, s.paths, s.npaths, &load, query, regex,
					  count, &map_wanted, stdout, stderr);
	if (status >= 0) {
		mode = MODE_SEARCH_QUICK;
	} else {
		startup_load_begun(&s, &so);
		if (!so.canonical_names) /* a catalog's paths shown as typed */
			cli_name_paths(s.canon, s.typed, s.npaths);
		status = EXIT_OK;
	}

	switch (mode) {
	case MODE_LIST:
		if (collection_count(&s.c) == 0 && s.c.diags.n) { /* none listed for problems */
			cli_print_diags(&s.c, false, stderr);
			status = EXIT_NO_MATCH;
		} else if (json)
			status = list_json(&s.c, unread, bookmarked);
		else if (unread || bookmarked)
			status = cli_list_marked(&s.c, unread, bookmarked, stdout, stderr);
		else
			cli_list(&s.c, stdout);
		break;
	case MODE_DUMP:
		status = cli_dump(&s.c, dump_key, width ? width : terminal_width(), s.use_cache,
				  CLI_SIMILAR_QUICK, stdout, stderr);
		break;
	case MODE_CHECK: status = cli_check(&s.c, verbose, stderr); break;
	case MODE_SEARCH: {
		struct text_index *ix = s.indexed ? cli_index_open(s.key, &s.c, false, stderr)
						  : NULL;
		if (s.indexed && !ix)
			fputs(_("xinwen: no search index for these files (xinwen --index makes "
				"one): "
				"scanning\n"),
			      stderr);
		status = cli_search(&s.c, query, regex, count, ix, stdout, stderr);
		if (map_wanted)
			cli_search_save_map(ix, &s.c);
		index_close(ix);
		break;
	}
	case MODE_SEARCH_QUICK: break;
	case MODE_INDEX:
		/* No index of standard input, none in a cache directory refused (said). */
		if (s.from_stdin)
			fputs(_("xinwen: --index needs files, not standard input\n"), stderr);
		status = s.indexed ? cli_index(&s.c, s.key, s.catalog, stdout, stderr)
				   : EXIT_TROUBLE;
		break;
	case MODE_RELATED:
		status = cli_related(&s.c, dump_key, s.use_cache, CLI_SIMILAR_QUICK, stdout,
				     stderr);
		break;
	case MODE_READ:
		if (collection_count(&s.c) == 0) {
			cli_say_empty(&s.c, stderr);
			fputs(_("xinwen: no articles to show\n"), stderr);
			status = EXIT_TROUBLE;
		} else if (s.from_stdin && !keys_from_tty()) {
			status = EXIT_TROUBLE;
		} else {
			struct app_source source = {s.paths, s.npaths, &load, s.key, s.catalog};
			status = run_reader(&s.c, &cfg, s.use_cache, s.first_reload, s.note.s,
					    &source);
		}
		break;
	case MODE_CHECK_CONFIG:
	case MODE_CACHE: break;
	}
	/* Every path that could not be read is named, and makes it an error (as grep). */
	if (mode != MODE_READ && mode != MODE_CHECK && cli_unreadable(&s.c, stderr))
		status = EXIT_TROUBLE;
	startup_free(&s);
	config_free(&cfg);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, _("xinwen: standard output: %s\n"), strerror(errno));
		status = EXIT_TROUBLE;
	}
	close_log(status);
	return status;
}
