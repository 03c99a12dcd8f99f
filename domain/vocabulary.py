"""Controlled vocabularies. To extend one, add a member: columns store the value as text."""

from __future__ import annotations

from enum import StrEnum


class Process(StrEnum):
    cnc_milling = "cnc_milling"
    cnc_turning = "cnc_turning"
    edm = "edm"
    laser_cutting = "laser_cutting"
    waterjet_cutting = "waterjet_cutting"
    sheet_metal = "sheet_metal"
    stamping = "stamping"
    injection_molding = "injection_molding"
    die_casting = "die_casting"
    sand_casting = "sand_casting"
    investment_casting = "investment_casting"
    forging = "forging"
    extrusion = "extrusion"
    welding = "welding"
    grinding = "grinding"
    surface_finishing = "surface_finishing"
    heat_treatment = "heat_treatment"
    three_d_printing_fdm = "3d_printing_fdm"
    three_d_printing_sla = "3d_printing_sla"
    three_d_printing_sls = "3d_printing_sls"
    three_d_printing_mjf = "3d_printing_mjf"
    three_d_printing_dmls = "3d_printing_dmls"
    pcb_fabrication = "pcb_fabrication"
    pcb_assembly = "pcb_assembly"
    cable_harness = "cable_harness"
    assembly = "assembly"


class CertificationStandard(StrEnum):
    iso_9001 = "iso_9001"
    iso_14001 = "iso_14001"
    iso_45001 = "iso_45001"
    as9100 = "as9100"
    iso_13485 = "iso_13485"
    iatf_16949 = "iatf_16949"
    gost_r_iso_9001 = "gost_r_iso_9001"
    gost_rv_0015_002 = "gost_rv_0015_002"
    nadcap = "nadcap"
    ipc_a_610 = "ipc_a_610"
    itar = "itar"


class ToleranceClass(StrEnum):
    """General tolerances per ISO 2768-1, plus 'precision' for drawings tighter than 'fine'."""

    precision = "precision"
    fine = "fine"
    medium = "medium"
    coarse = "coarse"
    very_coarse = "very_coarse"
